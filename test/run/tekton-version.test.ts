/**
 * The status details that depend on the Tekton release tektite emulates: failure reasons and
 * messages (`pkg/pod/status.go` `getFailureInfo`), the release annotation, `status.artifacts`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { condition, runCli, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";
import { serve } from "../helpers/serve.js";

const taskRun = (name: string, spec: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskSpec:
${spec}`;

const failingStep = taskRun(
  "bad-step",
  `    steps:
      - name: fails
        image: busybox
        script: exit 7
      - name: after
        image: busybox
        script: echo never`,
);

const failingSidecar = taskRun(
  "bad-sidecar",
  `    sidecars:
      - name: broken
        image: busybox
        script: exit 3
    steps:
      - name: wait
        image: busybox
        script: sleep 0.3`,
);

const bothFail = taskRun(
  "both-fail",
  `    sidecars:
      - name: broken
        image: busybox
        script: exit 3
    steps:
      - name: wait
        image: busybox
        script: sleep 0.3; exit 4`,
);

void describe("current Tekton (the default)", () => {
  void it("fails a TaskRun whose step exits non-zero with StepFailed and the container's termination reason", async (t) => {
    const r = await runTaskRuns(t, failingStep);
    assert.equal(r.code, 1);
    const [tr] = r.objects();
    const c = condition(tr!);
    assert.equal(c.status, "False");
    assert.equal(c.reason, "StepFailed");
    assert.equal(c.message, '"step-fails" exited with code 7: Error');
  });

  void it("fails a TaskRun whose sidecar exits non-zero with SidecarFailed, even when the steps succeed", async (t) => {
    const r = await runTaskRuns(t, failingSidecar);
    assert.equal(r.code, 1);
    const c = condition(r.objects()[0]!);
    assert.equal(c.reason, "SidecarFailed");
    assert.equal(c.message, '"sidecar-broken" exited with code 3: Error');
  });

  void it("reports the sidecar before the step when both failed (a crashed sidecar is the likely cause)", async (t) => {
    const r = await runTaskRuns(t, bothFail);
    const c = condition(r.objects()[0]!);
    assert.equal(c.reason, "SidecarFailed");
    assert.equal(c.message, '"sidecar-broken" exited with code 3: Error');
  });

  void it("fails a step that outlives its timeout with StepFailed and Tekton's timeout message", async (t) => {
    const r = await runTaskRuns(
      t,
      taskRun(
        "slow-step",
        `    steps:
      - name: slow
        image: busybox
        timeout: 1s
        script: sleep 30`,
      ),
    );
    const c = condition(r.objects()[0]!);
    assert.equal(c.reason, "StepFailed");
    assert.equal(c.message, '"step-slow" exited because the step exceeded the specified timeout limit');
  });

  void it("annotates TaskRuns with the emulated release's commit and completed ones with empty artifacts", async (t) => {
    const r = await runTaskRuns(t, failingStep);
    const [tr] = r.objects();
    assert.equal(tr!.metadata.annotations["pipeline.tekton.dev/release"], "70f7308");
    assert.deepEqual(tr!.status.artifacts, {});
  });
});

void describe("--tekton-version v1.11", () => {
  void it("fails every step or sidecar failure with the generic Failed reason, as Tekton v1.11 did", async (t) => {
    const step = await runTaskRuns(t, failingStep, ["--tekton-version", "v1.11"]);
    assert.equal(step.code, 1);
    const [tr] = step.objects();
    assert.equal(condition(tr!).reason, "Failed");
    assert.equal(condition(tr!).message, '"step-fails" exited with code 7: Error');
    assert.equal(tr!.metadata.annotations["pipeline.tekton.dev/release"], "5a88281");

    const sidecar = await runTaskRuns(t, failingSidecar, ["--tekton-version", "v1.11"]);
    assert.equal(condition(sidecar.objects()[0]!).reason, "Failed");
    assert.equal(condition(sidecar.objects()[0]!).message, '"sidecar-broken" exited with code 3: Error');
  });

  void it("is read from the config file's tektonVersion key", async (t) => {
    const dir = tempDir(t);
    const config = writeYaml(dir, "config.yaml", "tektonVersion: v1.11\n");
    const r = await runTaskRuns(t, failingStep, ["--config", config]);
    assert.equal(condition(r.objects()[0]!).reason, "Failed");
  });

  void it("refuses a release tektite does not emulate with exit code 2 on run, validate and serve", async () => {
    for (const cmd of [
      ["run", "-f", "-"],
      ["validate", "-f", "-"],
      ["serve", "--port", "0"],
    ]) {
      const r = await runCli([...cmd, "--tekton-version", "v0.62"], { input: failingStep });
      assert.equal(r.code, 2, `${cmd[0]}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /--tekton-version: unknown Tekton version "v0\.62": expected one of v1\.15, v1\.11/,
        cmd[0],
      );
    }
  });
});

void describe("tektite serve", () => {
  void it("writes the reasons and release of the version it was started with", async (t) => {
    const s = await serve({ args: ["--tekton-version", "v1.11"] });
    t.after(() => s.stop());
    const created = await s.kubectl(["create", "-f", "-"], failingStep);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(await s.finished("bad-step"), "Failed");
    assert.equal(
      await s.jsonpath("bad-step", '{.status.conditions[?(@.type=="Succeeded")].message}'),
      '"step-fails" exited with code 7: Error',
    );
    assert.equal(
      await s.jsonpath("bad-step", "{.metadata.annotations.pipeline\\.tekton\\.dev/release}"),
      "5a88281",
    );
  });
});
