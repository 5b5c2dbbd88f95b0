import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { condition, objectsOf, runCli, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";

const pipelineRun = (name: string, spec: string): string => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
${spec}`;

type Obj = Record<string, any>;
const byKind = (objs: Obj[], kind: string): Obj[] => objs.filter((o) => o["kind"] === kind);
const named = (objs: Obj[], name: string): Obj => {
  const o = objs.find((x) => x["metadata"]["name"] === name);
  assert.ok(o, `no object ${name} in ${objs.map((x) => x["metadata"]["name"]).join(", ")}`);
  return o;
};

void describe("tektite run: PipelineRuns", () => {
  void it("runs a DAG, passes a result to a later task, resolves pipeline results and labels the children", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "dag",
        `  params:
    - name: who
      value: world
  pipelineSpec:
    params:
      - name: who
    results:
      - name: greeting
        value: $(tasks.second.results.out)
    tasks:
      - name: first
        taskSpec:
          results:
            - name: word
          steps:
            - name: say
              image: busybox
              script: printf 'hello' > $(results.word.path)
      - name: second
        params:
          - name: w
            value: $(tasks.first.results.word)
        taskSpec:
          params:
            - name: w
          results:
            - name: out
          steps:
            - name: join
              image: busybox
              script: |
                echo "$(params.w) $(params.who) from $(context.pipelineRun.name)"
                printf '%s %s' "$(params.w)" "$(params.who)" > $(results.out.path)`,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[second\/join\] hello world from dag$/m);
    const objs = r.objects();
    const pr = named(objs, "dag");
    assert.deepEqual(condition(pr), {
      ...condition(pr),
      status: "True",
      reason: "Succeeded",
      message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
    });
    assert.deepEqual(pr["status"]["results"], [{ name: "greeting", value: "hello world" }]);
    assert.deepEqual(
      pr["status"]["childReferences"].map((c: Obj) => [c["kind"], c["name"], c["pipelineTaskName"]]),
      [
        ["TaskRun", "dag-first", "first"],
        ["TaskRun", "dag-second", "second"],
      ],
    );
    const second = named(objs, "dag-second");
    assert.deepEqual(second["spec"]["params"], [{ name: "w", value: "hello" }]);
    assert.equal(second["metadata"]["labels"]["tekton.dev/pipelineRun"], "dag");
    assert.equal(second["metadata"]["labels"]["tekton.dev/pipelineTask"], "second");
    assert.equal(second["metadata"]["labels"]["tekton.dev/pipeline"], "dag");
    assert.equal(second["metadata"]["labels"]["tekton.dev/memberOf"], "tasks");
    assert.equal(second["metadata"]["ownerReferences"][0]["kind"], "PipelineRun");
    assert.equal(second["metadata"]["ownerReferences"][0]["uid"], pr["metadata"]["uid"]);
  });

  void it("a failing task fails the PipelineRun (exit 1), stops the DAG and still runs finally", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "fails",
        `  pipelineSpec:
    tasks:
      - name: boom
        taskSpec:
          steps:
            - image: busybox
              script: exit 1
      - name: after
        runAfter: [boom]
        taskSpec:
          steps:
            - image: busybox
              script: "true"
    finally:
      - name: report
        params:
          - name: s
            value: $(tasks.boom.status)/$(tasks.status)
        taskSpec:
          params:
            - name: s
          steps:
            - name: show
              image: busybox
              script: echo "status $(params.s)"`,
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^\[report\/show\] status Failed\/Failed$/m);
    const pr = named(r.objects(), "fails");
    assert.equal(condition(pr).reason, "Failed");
    assert.equal(condition(pr).message, "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1");
    assert.deepEqual(pr["status"]["skippedTasks"], [{ name: "after", reason: "PipelineRun was stopping" }]);
  });

  void it("skips a task whose when is false (Completed), and onError: continue ends FailureIgnored", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "whens",
        `  pipelineSpec:
    params:
      - name: mode
        default: fast
    tasks:
      - name: slow-only
        when:
          - input: $(params.mode)
            operator: in
            values: [slow]
        taskSpec:
          steps:
            - image: busybox
              script: "true"
      - name: flaky
        onError: continue
        taskSpec:
          steps:
            - image: busybox
              script: exit 3
      - name: next
        runAfter: [slow-only, flaky]
        taskSpec:
          steps:
            - image: busybox
              script: "true"`,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    const objs = r.objects();
    const pr = named(objs, "whens");
    assert.equal(condition(pr).reason, "Completed");
    assert.equal(
      condition(pr).message,
      "Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 1",
    );
    assert.deepEqual(pr["status"]["skippedTasks"], [
      {
        name: "slow-only",
        reason: "When Expressions evaluated to false",
        whenExpressions: [{ input: "fast", operator: "in", values: ["slow"] }],
      },
    ]);
    const flaky = named(objs, "whens-flaky");
    assert.equal(condition(flaky).reason, "FailureIgnored");
    assert.equal(flaky["metadata"]["annotations"]["pipeline.tekton.dev/pipeline-task-on-error"], "continue");
    assert.equal(condition(named(objs, "whens-next")).status, "True");
  });

  void it("retries a pipeline task: the child keeps each attempt in retriesStatus", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "retry",
        `  pipelineSpec:
    tasks:
      - name: again
        retries: 2
        taskSpec:
          steps:
            - image: busybox
              script: exit 1`,
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    const tr = named(r.objects(), "retry-again");
    assert.equal(tr["spec"]["retries"], 2);
    assert.equal(tr["status"]["retriesStatus"].length, 2);
    assert.equal(
      condition(named(r.objects(), "retry")).message,
      "Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0",
    );
  });

  void it("times out: the running TaskRun is cancelled with Tekton's message and the PipelineRun ends PipelineRunTimeout", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "slow",
        `  timeouts:
    pipeline: 2s
  pipelineSpec:
    tasks:
      - name: sleeper
        taskSpec:
          steps:
            - image: busybox
              script: sleep 60`,
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    const objs = r.objects();
    const pr = named(objs, "slow");
    assert.equal(condition(pr).reason, "PipelineRunTimeout");
    assert.equal(condition(pr).message, 'PipelineRun "slow" failed to finish within "2s"');
    const tr = named(objs, "slow-sleeper");
    assert.equal(tr["spec"]["status"], "TaskRunCancelled");
    assert.equal(
      tr["spec"]["statusMessage"],
      "TaskRun cancelled as the PipelineRun it belongs to has timed out.",
    );
    assert.equal(condition(tr).reason, "TaskRunCancelled");
  });

  void it("shares one volumeClaimTemplate claim between the tasks of a PipelineRun", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "shared",
        `  workspaces:
    - name: data
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 16Mi
  pipelineSpec:
    workspaces:
      - name: data
    tasks:
      - name: write
        workspaces:
          - name: out
            workspace: data
        taskSpec:
          workspaces:
            - name: out
          steps:
            - image: busybox
              script: echo shared-content > $(workspaces.out.path)/file
      - name: read
        runAfter: [write]
        workspaces:
          - name: in
            workspace: data
        taskSpec:
          workspaces:
            - name: in
          steps:
            - name: cat
              image: busybox
              script: cat $(workspaces.in.path)/file`,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[read\/cat\] shared-content$/m);
    const objs = r.objects();
    const claim = (name: string): string =>
      named(objs, name)["spec"]["workspaces"][0]["persistentVolumeClaim"]["claimName"];
    assert.equal(claim("shared-write"), claim("shared-read"));
    assert.match(claim("shared-write"), /^pvc-[0-9a-f]{10}$/);
  });

  void it("runs a custom task as a CustomRun and feeds a later task; a matrix fans out to <pr>-<task>-<i>", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "mixed",
        `  pipelineSpec:
    tasks:
      - name: pause
        taskRef:
          apiVersion: wait.testing.tekton.dev/v1beta1
          kind: Wait
        params:
          - name: duration
            value: 1s
      - name: fan
        runAfter: [pause]
        matrix:
          params:
            - name: os
              value: [linux, mac]
        taskSpec:
          params:
            - name: os
          results:
            - name: os
          steps:
            - image: busybox
              script: printf '%s' "$(params.os)" > $(results.os.path)
    results:
      - name: all
        value: $(tasks.fan.results.os[*])`,
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    const objs = r.objects();
    const cr = named(objs, "mixed-pause");
    assert.equal(cr["kind"], "CustomRun");
    assert.equal(cr["apiVersion"], "tekton.dev/v1beta1");
    assert.deepEqual(cr["spec"]["customRef"], {
      apiVersion: "wait.testing.tekton.dev/v1beta1",
      kind: "Wait",
    });
    assert.deepEqual(
      byKind(objs, "TaskRun").map((o) => [o["metadata"]["name"], o["spec"]["params"][0]["value"]]),
      [
        ["mixed-fan-0", "linux"],
        ["mixed-fan-1", "mac"],
      ],
    );
    const pr = named(objs, "mixed");
    assert.deepEqual(pr["status"]["results"], [{ name: "all", value: ["linux", "mac"] }]);
    assert.deepEqual(
      pr["status"]["childReferences"].map((c: Obj) => [c["apiVersion"], c["kind"], c["name"]]),
      [
        ["tekton.dev/v1beta1", "CustomRun", "mixed-pause"],
        ["tekton.dev/v1", "TaskRun", "mixed-fan-0"],
        ["tekton.dev/v1", "TaskRun", "mixed-fan-1"],
      ],
    );
  });

  void it("reports a missing Pipeline param and a missing Task with Tekton's reasons", async (t) => {
    const r = await runTaskRuns(
      t,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: needs-param
spec:
  params:
    - name: required
  tasks:
    - name: only
      taskSpec:
        steps:
          - image: busybox
            script: "true"
---
${pipelineRun("no-param", `  pipelineRef:\n    name: needs-param`)}
---
${pipelineRun("no-task", `  pipelineSpec:\n    tasks:\n      - name: t\n        taskRef:\n          name: nowhere`)}`,
    );
    assert.equal(r.code, 1, r.stderr);
    const objs = r.objects();
    assert.deepEqual(condition(named(objs, "no-param")), {
      ...condition(named(objs, "no-param")),
      status: "False",
      reason: "ParameterMissing",
      message:
        "[User error] PipelineRun default/no-param is missing some parameters required by Pipeline default/needs-param: pipelineRun missing parameters: [required]",
    });
    assert.equal(condition(named(objs, "no-task")).reason, "CouldntGetTask");
    assert.equal(
      condition(named(objs, "no-task")).message,
      'Pipeline default/no-task can\'t be Run; it contains Tasks that don\'t exist: Couldn\'t retrieve Task "nowhere": tasks.tekton.dev "nowhere" not found',
    );
  });

  void it("resolves a remote pipelineRef and a pipeline task's remote taskRef (cluster resolver)", async (t) => {
    const r = await runTaskRuns(
      t,
      readFileSync(new URL("../../../test/run/fixtures/remote-pipeline.yaml", import.meta.url), "utf8"),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[hello\/say\] resolved through the cluster resolver$/m);
    const objs = r.objects();
    const pr = named(objs, "remote");
    assert.equal(condition(pr).reason, "Succeeded");
    assert.equal(pr["metadata"]["labels"]["tekton.dev/pipeline"], "stored");
    const tr = named(objs, "remote-hello");
    assert.equal(tr["spec"]["taskRef"]["resolver"], "cluster");
  });

  void it("records a task's artifacts and passes $(tasks.<t>.outputs.<name>) to a later task (alpha)", async (t) => {
    const r = await runTaskRuns(
      t,
      pipelineRun(
        "arts",
        `  pipelineSpec:
    tasks:
      - name: make
        taskSpec:
          steps:
            - image: busybox
              script: |
                echo '{"outputs":[{"name":"image","values":[{"uri":"pkg:oci/app","digest":{"sha256":"abc"}}]}]}' > $(artifacts.path)
      - name: use
        runAfter: [make]
        taskSpec:
          steps:
            - name: show
              image: busybox
              script: echo '$(tasks.make.outputs.image)'`,
      ),
      ["--feature-gate", "alpha"],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[use\/show\] \[\{"digest":\{"sha256":"abc"\},"uri":"pkg:oci\/app"\}\]$/m);
    assert.deepEqual(named(r.objects(), "arts-make")["status"]["artifacts"], {
      outputs: [{ name: "image", values: [{ uri: "pkg:oci/app", digest: { sha256: "abc" } }] }],
    });
  });

  void it("Ctrl-C cancels the PipelineRun (exit 130) and its running TaskRun", async (t) => {
    const dir = tempDir(t);
    const file = writeYaml(
      dir,
      "pr.yaml",
      pipelineRun(
        "interrupted",
        `  pipelineSpec:
    tasks:
      - name: long
        taskSpec:
          steps:
            - name: wait
              image: busybox
              script: |
                echo started
                sleep 60`,
      ),
    );
    let sent = false;
    const r = await runCli(
      ["run", "-f", file, "-o", "json", "--executor", "host", "--data-dir", join(dir, "data")],
      {
        onSpawn: (pid, output) => {
          const timer = setInterval(() => {
            if (sent || !output().includes("[long/wait] started")) return;
            sent = true;
            clearInterval(timer);
            process.kill(pid, "SIGINT");
          }, 50);
        },
      },
    );
    assert.equal(r.code, 130, r.stderr);
    const objs = objectsOf(r.stdout);
    const pr = named(objs, "interrupted");
    assert.deepEqual(
      [condition(pr).reason, condition(pr).message],
      ["Cancelled", 'PipelineRun "interrupted" was cancelled'],
    );
    const tr = named(objs, "interrupted-long");
    assert.equal(
      tr["spec"]["statusMessage"],
      "TaskRun cancelled as the PipelineRun it belongs to has been cancelled.",
    );
  });
});
