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

  void it("settles tekton.dev/pipeline as Tekton: the Pipeline's name, a child run's own name, a generateName's stem", async (t) => {
    const r = await runTaskRuns(
      t,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: parent-pipeline
spec:
  tasks:
    - name: child-pipeline
      pipelineSpec:
        tasks:
          - name: child-pipeline-task
            taskSpec:
              steps:
                - image: busybox
                  script: "true"
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: parent-run
  labels:
    tekton.dev/pipeline: will-not-be-used
    team: blue
spec:
  pipelineRef:
    name: parent-pipeline
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: build-
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
          steps:
            - image: busybox
              script: "true"
`,
      ["--feature-gate", "alpha"],
    );
    assert.equal(r.code, 0, r.stderr);
    const labelsOf = (pred: (o: Obj) => boolean): Record<string, string> => {
      const o = r.objects().find(pred);
      assert.ok(o, "object not printed");
      return o["metadata"]["labels"] as Record<string, string>;
    };
    const named = (n: string) => (o: Obj) => o["metadata"]["name"] === n;
    assert.equal(labelsOf(named("parent-run"))["tekton.dev/pipeline"], "parent-pipeline");
    const child = labelsOf(named("parent-run-child-pipeline"));
    assert.equal(child["tekton.dev/pipeline"], "parent-run-child-pipeline");
    assert.equal(child["tekton.dev/pipelineRun"], "parent-run");
    assert.equal(child["team"], "blue");
    const generated = labelsOf((o) => o["kind"] === "PipelineRun" && /^build-/.test(o["metadata"]["name"]));
    assert.equal(generated["tekton.dev/pipeline"], "build");
  });
});
