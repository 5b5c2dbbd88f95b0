import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { condition, runTaskRuns } from "../helpers/cli.js";

const pipelineRun = (name: string, spec: string): string => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
${spec}`;

const serviceAccount = (name: string): string => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
---
`;

type Obj = Record<string, any>;
const named = (objs: Obj[], name: string): Obj => {
  const o = objs.find((x) => x["metadata"]["name"] === name);
  assert.ok(o, `no object ${name} in ${objs.map((x) => x["metadata"]["name"]).join(", ")}`);
  return o;
};

const nestedPipeline = `  params:
    - name: who
      value: nested
  pipelineSpec:
    params:
      - name: who
    tasks:
      - name: outer
        params:
          - name: who
            value: $(params.who)
        pipelineSpec:
          params:
            - name: who
              type: string
          tasks:
            - name: inner
              params:
                - name: who
                  value: $(params.who)
              taskSpec:
                params:
                  - name: who
                    type: string
                steps:
                  - name: greet
                    image: busybox
                    script: echo "hello $(params.who)"`;

void describe("tektite run: more PipelineRun features", () => {
  void it("runs a pipeline task with an embedded pipelineSpec as a child PipelineRun (alpha)", async (t) => {
    const r = await runTaskRuns(t, pipelineRun("pip", nestedPipeline), ["--feature-gate", "alpha"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /hello nested$/m);
    const objs = r.objects();
    const pr = named(objs, "pip");
    assert.deepEqual(condition(pr), {
      ...condition(pr),
      status: "True",
      reason: "Succeeded",
      message: "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0",
    });
    assert.deepEqual(
      pr["status"]["childReferences"].map((c: Obj) => [c["kind"], c["name"], c["pipelineTaskName"]]),
      [["PipelineRun", "pip-outer", "outer"]],
    );
    const child = named(objs, "pip-outer");
    assert.equal(child["kind"], "PipelineRun");
    assert.equal(child["metadata"]["labels"]["tekton.dev/pipelineRun"], "pip");
    assert.equal(child["metadata"]["labels"]["tekton.dev/pipelineTask"], "outer");
    assert.equal(child["metadata"]["ownerReferences"][0]["uid"], pr["metadata"]["uid"]);
    assert.deepEqual(child["spec"]["params"], [{ name: "who", value: "nested" }]);
    assert.equal(condition(child).reason, "Succeeded");
    assert.equal(condition(child).message, "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0");
    const grandchild = named(objs, "pip-outer-inner");
    assert.equal(grandchild["kind"], "TaskRun");
    assert.equal(grandchild["metadata"]["labels"]["tekton.dev/pipelineRun"], "pip-outer");
    assert.equal(condition(grandchild).reason, "Succeeded");
  });

  void it("refuses an embedded pipelineSpec without the alpha gate (exit 2, Tekton's message)", async (t) => {
    const r = await runTaskRuns(t, pipelineRun("pip", nestedPipeline));
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "beta"/,
    );
  });

  void it("passes taskRunTemplate and taskRunSpecs to the child TaskRuns (serviceAccountName, podTemplate env, stepSpecs)", async (t) => {
    const r = await runTaskRuns(
      t,
      serviceAccount("builder") +
        serviceAccount("deployer") +
        pipelineRun(
          "specs",
          `  taskRunTemplate:
    serviceAccountName: builder
    podTemplate:
      env:
        - name: FROM_TEMPLATE
          value: template
  taskRunSpecs:
    - pipelineTaskName: tuned
      serviceAccountName: deployer
      stepSpecs:
        - name: show
          computeResources:
            requests:
              memory: 64Mi
  pipelineSpec:
    tasks:
      - name: plain
        taskSpec:
          steps:
            - name: show
              image: busybox
              script: echo "plain sees $FROM_TEMPLATE"
      - name: tuned
        taskSpec:
          steps:
            - name: show
              image: busybox
              script: echo "tuned sees $FROM_TEMPLATE"`,
        ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[plain\/show\] plain sees template$/m);
    assert.match(r.stderr, /^\[tuned\/show\] tuned sees template$/m);
    const objs = r.objects();
    const plain = named(objs, "specs-plain");
    assert.equal(plain["spec"]["serviceAccountName"], "builder");
    assert.deepEqual(plain["spec"]["podTemplate"], { env: [{ name: "FROM_TEMPLATE", value: "template" }] });
    assert.equal(plain["spec"]["stepSpecs"], undefined);
    const tuned = named(objs, "specs-tuned");
    assert.equal(tuned["spec"]["serviceAccountName"], "deployer");
    assert.deepEqual(tuned["spec"]["podTemplate"], { env: [{ name: "FROM_TEMPLATE", value: "template" }] });
    assert.deepEqual(tuned["spec"]["stepSpecs"], [
      { name: "show", computeResources: { requests: { memory: "64Mi" } } },
    ]);
    assert.equal(condition(named(objs, "specs")).reason, "Succeeded");
  });

  void it("timeouts.finally cancels a slow finally task with Tekton's message and fails the PipelineRun", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "fin",
        `  timeouts:
    finally: 2s
  pipelineSpec:
    tasks:
      - name: quick
        taskSpec:
          steps:
            - image: busybox
              script: "true"
    finally:
      - name: slow
        taskSpec:
          steps:
            - image: busybox
              script: sleep 60`,
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    const objs = r.objects();
    const pr = named(objs, "fin");
    assert.deepEqual(condition(pr), {
      ...condition(pr),
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0",
    });
    assert.equal(condition(named(objs, "fin-quick")).reason, "Succeeded");
    const slow = named(objs, "fin-slow");
    assert.equal(slow["metadata"]["labels"]["tekton.dev/memberOf"], "finally");
    assert.equal(slow["spec"]["status"], "TaskRunCancelled");
    assert.equal(
      slow["spec"]["statusMessage"],
      "TaskRun cancelled as the PipelineRun it belongs to has timed out.",
    );
    assert.deepEqual(condition(slow), {
      ...condition(slow),
      status: "False",
      reason: "TaskRunCancelled",
      message:
        'TaskRun "fin-slow" was cancelled. TaskRun cancelled as the PipelineRun it belongs to has timed out.',
    });
  });

  void it("propagates a workspace to an embedded taskSpec that uses it undeclared, and substitutes a param in subPath", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "ws",
        `  params:
    - name: dir
      value: dir-2
  workspaces:
    - name: shared
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 16Mi
  pipelineSpec:
    params:
      - name: dir
    workspaces:
      - name: shared
    tasks:
      - name: writer
        workspaces:
          - name: out
            workspace: shared
            subPath: $(params.dir)
        taskSpec:
          workspaces:
            - name: out
          steps:
            - name: write
              image: busybox
              script: echo from-writer > $(workspaces.out.path)/file
      - name: reader
        runAfter: [writer]
        taskSpec:
          steps:
            - name: read
              image: busybox
              script: cat $(workspaces.shared.path)/dir-2/file`,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[reader\/read\] from-writer$/m);
    const objs = r.objects();
    const writer = named(objs, "ws-writer")["spec"]["workspaces"];
    const reader = named(objs, "ws-reader")["spec"]["workspaces"];
    assert.deepEqual(
      writer.map((w: Obj) => [w["name"], w["subPath"]]),
      [["out", "dir-2"]],
    );
    assert.deepEqual(
      reader.map((w: Obj) => [w["name"], w["subPath"]]),
      [["shared", undefined]],
    );
    assert.equal(
      writer[0]["persistentVolumeClaim"]["claimName"],
      reader[0]["persistentVolumeClaim"]["claimName"],
    );
    assert.equal(
      condition(named(objs, "ws")).message,
      "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
    );
  });

  for (const [label, entry, shown] of [
    ["an unknown", "- pipelineTaskName: nope", '"nope"'],
    ["no", "- serviceAccountName: default", '""'],
  ] as const) {
    void it(`fails a PipelineRun whose taskRunSpecs name ${label} pipeline task (InvalidTaskRunSpecs)`, async (t) => {
      const spec = `  taskRunSpecs:
    ${entry}
  pipelineSpec:
    tasks:
      - name: only
        taskSpec:
          steps:
            - name: s
              image: busybox
              script: echo never`;
      const r = await runTaskRuns(t, pipelineRun("trs", spec));
      assert.notEqual(r.code, 0);
      const pr = named(r.objects(), "trs");
      assert.equal(condition(pr).reason, "InvalidTaskRunSpecs");
      assert.equal(
        condition(pr).message,
        `[User error] PipelineRun default/trs doesn't define taskRunSpecs correctly: pipelineRun's taskrunSpecs defined wrong taskName: ${shown}, does not exist in Pipeline`,
      );
    });
  }
});
