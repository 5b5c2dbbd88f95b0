/**
 * Cases from Tekton's conformance and e2e suites about the children a PipelineRun creates: every
 * child is created as a client creates it, so it carries the PipelineRun's merged labels and
 * annotations from its first reconcile and gets the admission defaults.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTaskRuns } from "../helpers/cli.js";

type Obj = Record<string, any>;

void describe("PipelineRun children (conformance: TestPipelineRunChildReferences)", () => {
  void it("labels every child with the pipeline, defaults it and passes on non-chains annotations", async (t) => {
    const r = await runTaskRuns(
      t,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: kids
  annotations:
    example.tekton.dev/note: kept
    chains.tekton.dev/signed: "true"
spec:
  pipelineSpec:
    tasks:
      - name: pipeline-task-0
        taskSpec:
          steps:
            - name: hello-step
              image: busybox
              script: echo Hello world!
      - name: pipeline-task-1
        taskSpec:
          steps:
            - name: hell-step
              image: busybox
              script: echo Hello world!
`,
    );
    assert.equal(r.code, 0, r.stderr);
    const objs = r.objects();
    const pr = objs.find((o) => o["kind"] === "PipelineRun") as Obj;
    assert.deepEqual(
      pr["status"]["childReferences"].map((c: Obj) => [c["name"], c["pipelineTaskName"]]),
      [
        ["kids-pipeline-task-0", "pipeline-task-0"],
        ["kids-pipeline-task-1", "pipeline-task-1"],
      ],
    );
    for (const name of ["kids-pipeline-task-0", "kids-pipeline-task-1"]) {
      const tr = objs.find((o) => o["metadata"]["name"] === name) as Obj;
      assert.ok(tr, name);
      const labels = tr["metadata"]["labels"] as Record<string, string>;
      assert.equal(labels["tekton.dev/pipeline"], "kids", name);
      assert.equal(labels["tekton.dev/pipelineRun"], "kids", name);
      assert.equal(labels["app.kubernetes.io/managed-by"], "tekton-pipelines", name);
      assert.equal(tr["spec"]["timeout"], "1h0m0s", name);
      assert.equal(tr["spec"]["serviceAccountName"], "default", name);
      // A pipeline task without params gives a TaskRun without params (not `params: []`).
      assert.equal("params" in tr["spec"], false, name);
      const annotations = tr["metadata"]["annotations"] as Record<string, string>;
      assert.equal(annotations["example.tekton.dev/note"], "kept", name);
      assert.equal(annotations["chains.tekton.dev/signed"], undefined, name);
    }
  });
});
