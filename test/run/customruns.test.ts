import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { condition, objectsOf, repoRoot, runCli, tempDir, writeYaml } from "../helpers/cli.js";

void test("a CustomRun no controller handles gets no status and tektite run says so and exits 1", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(
    dir,
    "custom.yaml",
    `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: nobody
spec:
  customRef:
    apiVersion: example.dev/v1alpha1
    kind: Example`,
  );
  const r = await runCli(["run", "-f", file, "-o", "json", "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CustomRun\/nobody: no custom task controller for example.dev\/v1alpha1\/Example/);
  assert.equal(objectsOf(r.stdout)[0]!.status, undefined);
});

void test("a plugin written with tektite/sdk runs a CustomRun to Succeeded with its results", async (t) => {
  const dir = tempDir(t);
  const r = await runCli([
    "run",
    "--plugin",
    join(repoRoot, "examples", "custom-task", "greeter.mjs"),
    "-f",
    join(repoRoot, "examples", "custom-task", "greeter-customrun.yaml"),
    "-o",
    "json",
    "--data-dir",
    join(dir, "data"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [run] = objectsOf(r.stdout);
  assert.equal(condition(run!).reason, "Greeted");
  assert.deepEqual(
    run!.status.results.find((x: { name: string }) => x.name === "greeting"),
    { name: "greeting", value: "Bonjour, Ada!" },
  );
  assert.match(r.stderr, /\[greet-ada\/Greeter\] Bonjour, Ada!/);
});

void test("Tekton's Wait example CustomRun succeeds with DurationElapsed", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(
    dir,
    "wait.yaml",
    `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: short-wait
spec:
  timeout: 10s
  customRef:
    apiVersion: wait.testing.tekton.dev/v1beta1
    kind: Wait
  params:
    - name: duration
      value: 200ms`,
  );
  const r = await runCli(["run", "-f", file, "-o", "json", "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 0, r.stderr);
  const c = condition(objectsOf(r.stdout)[0]!);
  assert.deepEqual(
    [c.status, c.reason, c.message],
    ["True", "DurationElapsed", "The wait duration has elapsed"],
  );
});

void test("a CustomRun's status and each archived attempt in retriesStatus carry observedGeneration", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(
    dir,
    "wait-retry.yaml",
    `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: wait-retry
spec:
  timeout: 300ms
  retries: 1
  customRef:
    apiVersion: wait.testing.tekton.dev/v1beta1
    kind: Wait
  params:
    - name: duration
      value: 5s`,
  );
  const r = await runCli(["run", "-f", file, "-o", "json", "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 1, r.stderr);
  const run = objectsOf(r.stdout)[0]!;
  assert.equal(condition(run).status, "False");
  assert.equal(run["metadata"]["generation"], 1);
  assert.equal(run["status"]["observedGeneration"], 1);
  assert.equal(run["status"]["retriesStatus"].length, 1);
  assert.equal(run["status"]["retriesStatus"][0]["observedGeneration"], 1);
});
