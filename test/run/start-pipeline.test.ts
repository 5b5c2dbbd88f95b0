import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import YAML from "yaml";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: greet
spec:
  params:
    - name: who
    - name: many
      type: array
      default: [a]
  workspaces:
    - name: out
  tasks:
    - name: say
      params:
        - name: who
          value: $(params.who)
        - name: many
          value: $(params.many[*])
      workspaces:
        - name: out
      taskSpec:
        params:
          - name: who
          - name: many
            type: array
        workspaces:
          - name: out
        steps:
          - name: echo
            image: busybox
            args: ["$(params.many[*])"]
            script: |
              echo "hi $(params.who) $@" | tee $(workspaces.out.path)/said`;

void test("tektite start pipeline builds the PipelineRun from -p, -w and timeouts and runs it", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "pipeline.yaml", PIPELINE);
  const r = await runCli(
    [
      "start",
      "pipeline",
      "greet",
      "-f",
      file,
      "-p",
      "who=you",
      "-p",
      "many=x,y",
      "-w",
      "name=out,emptyDir=",
      "--pipeline-timeout",
      "10m",
      "-o",
      "json",
    ],
    { env: { TEKTITE_DATA_DIR: join(dir, "data") } },
  );
  assert.equal(r.code, 0, r.stderr);
  const pr = objectsOf(r.stdout).find((o) => o.kind === "PipelineRun");
  assert.ok(pr, r.stdout);
  assert.match(pr.metadata.name, /^greet-run-/);
  assert.equal(condition(pr).reason, "Succeeded");
  assert.equal(condition(pr).message, "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0");
  assert.match(r.stderr, /\[say\/echo\] hi you x y/);
});

void test("tektite start pipeline --dry-run prints the PipelineRun tkn would create", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "pipeline.yaml", PIPELINE);
  const r = await runCli([
    "start",
    "pipeline",
    "greet",
    "-f",
    file,
    "-p",
    "who=me",
    "-w",
    "out=emptyDir",
    "-s",
    "builder",
    "--task-serviceaccount",
    "say=sayer",
    "--tasks-timeout",
    "5m",
    "--use-param-defaults",
    "--dry-run",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const pr = YAML.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(pr["spec"], {
    pipelineRef: { name: "greet" },
    params: [{ name: "who", value: "me" }],
    workspaces: [{ name: "out", emptyDir: {} }],
    taskRunTemplate: { serviceAccountName: "builder" },
    taskRunSpecs: [{ pipelineTaskName: "say", serviceAccountName: "sayer" }],
    timeouts: { tasks: "5m0s", pipeline: "1h0m0s" },
  });
});

void test("tektite start pipeline names a param that has no value and no default, exit 2", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "pipeline.yaml", PIPELINE);
  const r = await runCli(["start", "pipeline", "greet", "-f", file, "-w", "out=emptyDir"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Pipeline "greet" needs a value for "who": give it with -p NAME=VALUE/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});
