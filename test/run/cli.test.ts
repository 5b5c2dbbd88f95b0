import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import YAML from "yaml";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const sleeper = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: sleeper
spec:
  taskSpec:
    steps:
      - name: nap
        image: busybox
        script: |
          echo started
          sleep 60
      - name: after
        image: busybox
        script: echo never`;

void test("Ctrl-C cancels every run as TaskRunCancelled, prints the final status and exits 130", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "sleeper.yaml", sleeper);
  let sent = false;
  const r = await runCli(
    ["run", "-f", file, "-o", "json", "--executor", "host", "--data-dir", join(dir, "data")],
    {
      onSpawn: (pid, output) => {
        const poll = setInterval(() => {
          if (!sent && output().includes("started")) {
            sent = true;
            clearInterval(poll);
            process.kill(pid, "SIGINT");
          }
        }, 20);
      },
    },
  );
  assert.equal(r.code, 130, r.stderr);
  const [tr] = objectsOf(r.stdout);
  assert.equal(condition(tr!).reason, "TaskRunCancelled");
  assert.equal(condition(tr!).message, 'TaskRun "sleeper" was cancelled. ');
  assert.equal(tr!.status.steps[0].terminationReason, "TaskRunCancelled");
  assert.equal(tr!.status.steps[1].terminationReason, "TaskRunCancelled");
});

void test("-o yaml prints a v1 List of the final runs when there are several", async (t) => {
  const dir = tempDir(t);
  const one = (name: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskSpec:
    steps:
      - image: busybox
        script: echo ${name}`;
  const file = writeYaml(dir, "two.yaml", `${one("a")}\n---\n${one("b")}\n`);
  const r = await runCli([
    "run",
    "-f",
    file,
    "-o",
    "yaml",
    "--executor",
    "host",
    "--data-dir",
    join(dir, "data"),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const doc = YAML.parse(r.stdout);
  assert.equal(doc.kind, "List");
  assert.deepEqual(
    doc.items.map((i: any) => [i.metadata.name, condition(i).reason]),
    [
      ["a", "Succeeded"],
      ["b", "Succeeded"],
    ],
  );
});

void test("without -o the run ends with a summary table and the failure message", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(
    dir,
    "fail.yaml",
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: sad
spec:
  taskSpec:
    steps:
      - name: boom
        image: busybox
        script: exit 2`,
  );
  const r = await runCli(["run", "-f", file, "--executor", "host", "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /RUN\s+SUCCEEDED\s+REASON\s+DURATION/);
  assert.match(r.stdout, /TaskRun\/sad\s+False\s+StepFailed/);
  assert.match(r.stdout, /TaskRun\/sad: "step-boom" exited with code 2: Error/);
});

void test("a YAML syntax error names the file and line and exits 2", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "broken.yaml", "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: [oops\n");
  const r = await runCli(["run", "-f", file, "--executor", "host", "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.yaml:\d+/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

void test("tektite start task builds the TaskRun from -p and -w and runs it", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(
    dir,
    "task.yaml",
    `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  params:
    - name: who
    - name: many
      type: array
  workspaces:
    - name: out
  steps:
    - name: say
      image: busybox
      args: ["$(params.many[*])"]
      script: |
        echo "hi $(params.who) $@" | tee $(workspaces.out.path)/said`,
  );
  const r = await runCli(
    [
      "start",
      "task",
      "greet",
      "-f",
      file,
      "-p",
      "who=you",
      "-p",
      "many=x,y",
      "-w",
      "out=emptyDir",
      "-o",
      "json",
    ],
    { env: { TEKTITE_DATA_DIR: join(dir, "data") } },
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = objectsOf(r.stdout);
  assert.match(tr!.metadata.name, /^greet-run-/);
  assert.equal(tr!.metadata.labels["tekton.dev/task"], "greet");
  assert.match(r.stderr, /\/say\] hi you x y/);
});
