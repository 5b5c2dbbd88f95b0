/**
 * The server commands on Pipelines and PipelineRuns, with the real engine on the host:
 * `start pipeline --remote`, `logs pipelinerun [-f]`, `get`, `describe`, `cancel [--grace]`, `delete`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PipelineRun } from "../../src/api/pipeline-types.js";
import { ResourceTypes, finished, outcome, startCliHarness, type CliHarness } from "./harness.js";

const PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: greet
spec:
  params:
    - name: who
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
            image: busybox
            script: echo "hello $(params.who)"
    - name: check
      runAfter: [hello]
      params:
        - name: who
          value: $(params.who)
      taskSpec:
        params:
          - name: who
        steps:
          - name: test
            image: busybox
            script: test "$(params.who)" != nobody
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: slow
spec:
  tasks:
    - name: sleep
      taskSpec:
        steps:
          - name: wait
            image: busybox
            script: sleep 60
  finally:
    - name: cleanup
      taskSpec:
        steps:
          - name: bye
            image: busybox
            script: echo cleaned up
`;

describe("server commands on PipelineRuns", () => {
  let ch: CliHarness;
  before(async () => {
    ch = await startCliHarness();
    await ch.apply(PIPELINE);
  });
  after(() => ch.close());

  it("start pipeline --remote creates the PipelineRun and follows its children's logs", async () => {
    const r = await ch.cli(["start", "pipeline", "greet", "--remote", "-p", "who=world"]);
    assert.equal(r.code, 0, r.stderr);
    const name = /PipelineRun started: (greet-run-[a-z0-9]{5})/.exec(r.stderr)?.[1];
    assert.ok(name, r.stderr);
    assert.match(r.stdout, /^\[hello\/say\] hello world$/m);

    const logs = await ch.cli(["logs", "pipelinerun", name]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, "[hello/say] hello world\n");
    const only = await ch.cli(["logs", "pr", name, "-t", "check"]);
    assert.equal(only.stdout, "");

    const get = await ch.cli(["get", "pipelineruns", name]);
    assert.match(get.stdout, /^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME\n/);
    assert.match(get.stdout, new RegExp(`${name}\\s+True\\s+Succeeded\\s`));

    const desc = await ch.cli(["describe", "pipelinerun", name]);
    assert.equal(desc.code, 0, desc.stderr);
    assert.match(desc.stdout, /^Pipeline Ref:\s+greet$/m);
    assert.match(desc.stdout, /Tasks Completed: 2 \(Failed: 0, Cancelled 0\), Skipped: 0/);
    assert.match(desc.stdout, new RegExp(`∙ ${name}-hello\\s+hello\\s+TaskRun\\s+.*Succeeded`));
    assert.match(desc.stdout, /∙ who\s+world/);

    const p = await ch.cli(["describe", "pipeline", "greet"]);
    assert.match(p.stdout, /∙ hello\s+\(embedded taskSpec\)\s+---/);
    assert.match(p.stdout, /∙ check\s+\(embedded taskSpec\)\s+hello/);

    const del = await ch.cli(["delete", "pipelinerun", name]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, new RegExp(`pipelinerun.tekton.dev "${name}" deleted`));
  });

  it("start pipeline --remote exits 1 when a task fails, and refuses a missing param", async () => {
    const r = await ch.cli(["start", "pipeline", "greet", "--remote", "-p", "who=nobody"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /PipelineRun greet-run-[a-z0-9]{5} Failed: Tasks Completed: 2 \(Failed: 1, Cancelled 0\), Skipped: 0/,
    );
    const missing = await ch.cli(["start", "pipeline", "greet", "--remote"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Pipeline "greet" needs a value for "who": give it with -p NAME=VALUE/);
  });

  it("cancel --grace CancelledRunFinally still runs the finally tasks", async () => {
    const started = await ch.cli(["start", "pipeline", "slow", "--remote", "--no-showlog"]);
    assert.equal(started.code, 0, started.stderr);
    const name = /PipelineRun started: (slow-run-[a-z0-9]{5})/.exec(started.stderr)?.[1] ?? "";
    assert.match(started.stderr, new RegExp(`tektite logs pipelinerun ${name} -f -n default`));
    await ch.waitFor(
      ResourceTypes.TaskRun,
      `${name}-sleep`,
      (tr) => (tr["status"] as { podName?: string } | undefined)?.podName !== undefined,
    );
    const follow = ch.cli(["logs", "pipelinerun", name, "-f"]);
    const c = await ch.cli(["cancel", "pipelinerun", name, "--grace", "CancelledRunFinally"]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, `PipelineRun cancelled: ${name}\n`);
    const done = await ch.waitFor<PipelineRun>(ResourceTypes.PipelineRun, name, finished);
    assert.deepEqual(outcome(done), { status: "False", reason: "Cancelled" });
    const logs = await follow;
    assert.equal(logs.code, 1);
    assert.match(logs.stdout, /^\[cleanup\/bye\] cleaned up$/m);
    const again = await ch.cli(["cancel", "pipelinerun", name]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /it has already finished/);
    const wrong = await ch.cli(["cancel", "taskrun", `${name}-sleep`, "--grace", "StoppedRunFinally"]);
    assert.equal(wrong.code, 2);
  });
});
