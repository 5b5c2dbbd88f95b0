import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startCliHarness, type CliHarness } from "./harness.js";

let ch: CliHarness;
before(async () => {
  ch = await startCliHarness();
  await ch.apply(`apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  params:
    - name: who
  steps:
    - name: hello
      image: busybox
      script: echo "hello $(params.who)"
    - name: check
      image: busybox
      script: test "$(params.who)" != nobody
`);
});
after(() => ch.close());

void test("start task --remote creates the TaskRun on the server and follows its logs to the end", async () => {
  const r = await ch.cli(["start", "task", "greet", "--remote", "-p", "who=world"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /TaskRun started: greet-run-[a-z0-9]{5}/);
  assert.match(r.stdout, /\[hello\] hello world/);
});

void test("start task --remote exits 1 when the TaskRun fails", async () => {
  const r = await ch.cli(["start", "task", "greet", "--remote", "-p", "who=nobody"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /StepFailed: "step-check" exited with code 1: Error/);
});
