/**
 * kubectl against `tektite serve` with the real engine running PipelineRuns on the host: Tekton's
 * printer columns, watch, Events, metrics, admission messages and the PipelineRun update rules.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readUntil, startEngineHarness, type EngineHarness } from "./harness.js";

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: greet
spec:
  params:
    - name: who
      default: world
  tasks:
    - name: hello
      params:
        - name: who
          value: $(params.who)
      taskSpec:
        params:
          - name: who
        steps:
          - name: say
            image: alpine
            script: echo hello $(params.who)
    - name: after
      runAfter: [hello]
      taskSpec:
        steps:
          - name: done
            image: alpine
            script: echo done
`;

const run = (name: string, extra = ""): string => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  pipelineRef:
    name: greet
${extra}`;

describe("kubectl with the engine running PipelineRuns", () => {
  let h: EngineHarness;
  before(async () => {
    h = await startEngineHarness();
    const applied = await h.kubectl(["apply", "-f", "-"], PIPELINE);
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await h.close();
  });

  it("runs a PipelineRun, shows Tekton's columns, and records Events and metrics", async () => {
    // Pending first, so the watch deterministically sees it before it runs.
    const created = await h.kubectl(["create", "-f", "-"], run("greet-1", "  status: PipelineRunPending\n"));
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /pipelinerun\.tekton\.dev\/greet-1 created/);
    const watch = h.spawnKubectl(["get", "pipelineruns", "-w"]);
    try {
      await readUntil(watch, (out) => /greet-1\s+Unknown\s+PipelineRunPending/.test(out));
      const succeeded = readUntil(watch, (out) => /greet-1\s+True\s+Succeeded/.test(out));
      const start = await h.kubectl([
        "patch",
        "pipelinerun",
        "greet-1",
        "--type=json",
        "-p",
        '[{"op":"remove","path":"/spec/status"}]',
      ]);
      assert.equal(start.code, 0, start.stderr);
      await succeeded;
    } finally {
      watch.kill();
    }
    const get = await h.kubectl(["get", "pr"]);
    const [header, row] = get.stdout.trim().split("\n");
    assert.match(header ?? "", /^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME$/);
    assert.match(row ?? "", /^greet-1\s+True\s+Succeeded\s+\S+\s+\S+$/);
    const message = await h.kubectl([
      "get",
      "pipelinerun",
      "greet-1",
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Succeeded")].message}',
    ]);
    assert.equal(message.stdout, "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0");
    const tasks = await h.kubectl(["get", "taskruns", "-l", "tekton.dev/pipelineRun=greet-1", "-o", "name"]);
    assert.deepEqual(tasks.stdout.trim().split("\n").sort(), [
      "taskrun.tekton.dev/greet-1-after",
      "taskrun.tekton.dev/greet-1-hello",
    ]);
    const events = await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=greet-1"]);
    assert.match(events.stdout, /Normal\s+Started\s+pipelinerun\/greet-1/);
    // Tekton reports the first (pending) condition as Started, never with the Pending reason.
    assert.doesNotMatch(events.stdout, /PipelineRunPending/);
    assert.match(events.stdout, /Normal\s+Succeeded\s+pipelinerun\/greet-1\s+Tasks Completed: 2/);
    const metrics = await h.http("GET", "/metrics");
    assert.match(metrics.body, /tekton_pipelines_controller_pipelinerun_total\{status="success"\} 1/);
    assert.match(
      metrics.body,
      /tekton_pipelines_controller_pipelinerun_duration_seconds_count\{namespace="default",status="success"\} 1/,
    );
    assert.match(metrics.body, /tekton_pipelines_controller_running_pipelineruns 0/);
  });

  it("freezes a finished PipelineRun's spec", async () => {
    await h.kubectl(["wait", "--for=condition=Succeeded", "pipelinerun/greet-1", "--timeout=60s"]);
    const patch = await h.kubectl([
      "patch",
      "pipelinerun",
      "greet-1",
      "--type=merge",
      "-p",
      '{"spec":{"params":[{"name":"who","value":"again"}]}}',
    ]);
    assert.notEqual(patch.code, 0);
    assert.match(
      patch.stderr,
      /admission webhook "validation\.webhook\.pipeline\.tekton\.dev" denied the request: validation failed: invalid value: Once the PipelineRun is complete, no updates are allowed: spec/,
    );
  });

  it("rejects an invalid PipelineRun with Tekton's message", async () => {
    const r = await h.kubectl(
      ["create", "-f", "-"],
      run("bad", "  timeouts:\n    pipeline: 1h\n    tasks: 2h\n"),
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid value: 2h0m0s should be <= pipeline duration: spec\.timeouts\.tasks/);
  });

  it("stores a v1beta1 PipelineRun as v1 with its timeout moved to timeouts.pipeline", async () => {
    const r = await h.kubectl(
      ["create", "-f", "-"],
      run("old", "  timeout: 30m\n  serviceAccountName: builder\n  status: PipelineRunPending\n").replace(
        "tekton.dev/v1",
        "tekton.dev/v1beta1",
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    const spec = await h.kubectl([
      "get",
      "pipelinerun",
      "old",
      "-o",
      "jsonpath={.apiVersion} {.spec.timeouts.pipeline} {.spec.taskRunTemplate.serviceAccountName}",
    ]);
    assert.equal(spec.stdout, "tekton.dev/v1 30m0s builder");
    const pending = await h.kubectl(["get", "pr", "old"]);
    assert.match(pending.stdout, /old\s+Unknown\s+PipelineRunPending/);
  });
  it("deletes a PipelineRun's children with it, unless --cascade=orphan", async () => {
    const created = await h.kubectl(["create", "-f", "-"], run("greet-2"));
    assert.equal(created.code, 0, created.stderr);
    const wait = await h.kubectl([
      "wait",
      "--for=condition=Succeeded",
      "pipelinerun/greet-2",
      "--timeout=60s",
    ]);
    assert.equal(wait.code, 0, wait.stderr);
    const children = async (pr: string): Promise<string> =>
      (
        await h.kubectl(["get", "taskruns", "-l", `tekton.dev/pipelineRun=${pr}`, "-o", "name"])
      ).stdout.trim();
    const orphan = await h.kubectl(["delete", "pipelinerun", "greet-2", "--cascade=orphan"]);
    assert.equal(orphan.code, 0, orphan.stderr);
    assert.equal((await children("greet-2")).split("\n").length, 2);
    const del = await h.kubectl(["delete", "pipelinerun", "greet-1"]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /pipelinerun\.tekton\.dev "greet-1" deleted/);
    assert.equal(await children("greet-1"), "");
  });
});
