import assert from "node:assert/strict";
import { test } from "node:test";
import { runTaskRuns } from "../helpers/cli.js";

// 60 characters: `step-<name>` is 65, so the container name is cut to 63 while the step's
// directory under /tekton/steps keeps the full `step-<name>`.
const LONG = "a-step-whose-name-is-sixty-characters-long-and-still-valid-x";

void test("a step with a 60-character name writes and shares its step results", async (t) => {
  assert.equal(LONG.length, 60);
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: long-step
spec:
  taskSpec:
    results:
      - name: out
        value: $(steps.${LONG}.results.r)
    steps:
      - name: ${LONG}
        image: busybox
        results:
          - name: r
        script: printf hello > $(step.results.r.path)
      - name: reader
        image: busybox
        env:
          - name: GOT
            value: $(steps.${LONG}.results.r)
        script: |
          test "$GOT" = hello
          test "$(cat /tekton/steps/step-${LONG}/results/r)" = hello`,
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = r.objects();
  assert.equal(tr!.status.steps[0].container, `step-${LONG}`.slice(0, 63));
  assert.deepEqual(tr!.status.steps[0].results, [{ name: "r", type: "string", value: "hello" }]);
  assert.deepEqual(tr!.status.results, [{ name: "out", type: "string", value: "hello" }]);
});
