/**
 * `tektite get|describe|logs|delete` on TaskRuns and Tasks of a running server, and how server,
 * connection and token failures are reported.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { ResourceTypes, finished, startCliHarness, type CliHarness } from "./harness.js";

const YAML_DOCS = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  params:
    - name: who
      default: world
  results:
    - name: greeting
  steps:
    - name: hello
      image: alpine
      script: |
        echo "hello $(params.who)"
        printf 'hi' > $(results.greeting.path)
    - name: bye
      image: alpine
      script: |
        echo bye
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: greet-run
  labels:
    app: demo
spec:
  params:
    - name: who
      value: tektite
  taskRef:
    name: greet
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: broken-run
spec:
  taskSpec:
    steps:
      - name: fail
        image: alpine
        script: |
          echo about to fail
          exit 3
`;

describe("server commands on TaskRuns", () => {
  let c: CliHarness;
  before(async () => {
    c = await startCliHarness();
    await c.apply(YAML_DOCS);
    await c.waitFor<TaskRun>(ResourceTypes.TaskRun, "greet-run", finished);
    await c.waitFor<TaskRun>(ResourceTypes.TaskRun, "broken-run", finished);
  });
  after(async () => {
    await c.close();
  });

  it("lists TaskRuns with Tekton's printer columns and selects by label", async () => {
    const all = await c.cli(["get", "taskruns"]);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME$/);
    assert.match(all.stdout, /\nbroken-run\s+False\s+StepFailed\s+\d+s\s+\d+s\n/);
    assert.match(all.stdout, /\ngreet-run\s+True\s+Succeeded\s+\d+s\s+\d+s\n/);

    const selected = await c.cli(["get", "tr", "-l", "app=demo", "-o", "name"]);
    assert.equal(selected.stdout, "taskrun.tekton.dev/greet-run\n");
    const everywhere = await c.cli(["get", "taskrun", "-A", "--no-headers"]);
    assert.match(everywhere.stdout, /^default\s+broken-run\s+False/m);
  });

  it("prints one TaskRun as JSON or YAML and a list as a v1 List", async () => {
    const one = await c.cli(["get", "taskrun", "greet-run", "-o", "json"]);
    const obj = JSON.parse(one.stdout) as TaskRun;
    assert.equal(obj.kind, "TaskRun");
    assert.equal(obj.status?.podName, "greet-run-pod");
    const list = await c.cli(["get", "taskruns", "-o", "yaml"]);
    assert.match(list.stdout, /^apiVersion: v1\nitems:\n/);
    assert.match(list.stdout, /\nkind: List\n/);
  });

  it("describes a TaskRun like tkn: refs, status, params, results and steps", async () => {
    const d = await c.cli(["describe", "taskrun", "greet-run"]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^Name:\s+greet-run\nNamespace:\s+default\nTask Ref:\s+greet\n/);
    assert.match(d.stdout, /\nLabels:\n app=demo\n/);
    assert.match(d.stdout, /\nSTARTED\s+DURATION\s+STATUS\n\d+s ago\s+\S+\s+Succeeded\n/);
    assert.match(d.stdout, / ∙ who\s+tektite\n/);
    assert.match(d.stdout, / ∙ greeting\s+hi\n/);
    assert.match(
      d.stdout,
      /\nSteps\n\n NAME\s+STATUS\s+EXIT CODE\n ∙ hello\s+Completed\s+0\n ∙ bye\s+Completed\s+0\n/,
    );

    const failed = await c.cli(["describe", "tr", "broken-run"]);
    assert.match(failed.stdout, /Failed\(StepFailed\)\n/);
    assert.match(failed.stdout, /Task Ref:\s+\(embedded taskSpec\)/);
    assert.match(failed.stdout, / ∙ fail\s+Error\s+3\n/);
  });

  it("prints every step's log in order with [step] prefixes, exit 1 for a failed TaskRun", async () => {
    const logs = await c.cli(["logs", "taskrun", "greet-run"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, "[hello] hello tektite\n[bye] bye\n");
    const one = await c.cli(["logs", "tr", "greet-run", "-c", "bye", "--no-prefix"]);
    assert.equal(one.stdout, "bye\n");
    const failed = await c.cli(["logs", "taskrun", "broken-run"]);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, "[fail] about to fail\n");
    const followedDone = await c.cli(["logs", "taskrun", "greet-run", "-f"]);
    assert.equal(followedDone.code, 0, followedDone.stderr);
    assert.equal(followedDone.stdout, "[hello] hello tektite\n[bye] bye\n");
  });

  it("lists and describes Tasks", async () => {
    const tasks = await c.cli(["get", "tasks"]);
    assert.match(tasks.stdout, /^NAME\s+AGE\ngreet\s+\d+s\n$/);
    const d = await c.cli(["describe", "task", "greet"]);
    assert.match(d.stdout, / ∙ who\s+string\s+world\n/);
  });

  it("reports a missing object as kubectl does, with exit code 1", async () => {
    const get = await c.cli(["get", "taskrun", "nope"]);
    assert.equal(get.code, 1);
    assert.equal(get.stderr, 'Error from server (NotFound): taskruns.tekton.dev "nope" not found\n');
    const d = await c.cli(["describe", "taskrun", "nope"]);
    assert.equal(d.code, 1);
    assert.equal(d.stderr, 'Error from server (NotFound): taskruns.tekton.dev "nope" not found\n');
    const logs = await c.cli(["logs", "taskrun", "nope"]);
    assert.equal(logs.code, 1);
    assert.match(logs.stderr, /^Error from server \(NotFound\)/);
  });

  it("rejects an unknown resource type with exit code 2", async () => {
    const r = await c.cli(["get", "deployments"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown resource type "deployments"/);
  });

  it("explains a rejected token without a stack trace", async () => {
    const r = await c.cli(["get", "taskruns", "--token", "wrong"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: You must be logged in to the server \(Unauthorized\): https:\/\/127\.0\.0\.1:\d+ rejected the bearer token/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("names the server and suggests tektite serve when nothing listens", async () => {
    const kubeconfig = join(c.h.dataDir, "dead.kubeconfig");
    writeFileSync(kubeconfig, c.h.server.kubeconfig.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:1"));
    const r = await c.cli(["get", "taskruns", "--kubeconfig", kubeconfig]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: cannot connect to the tektite server at https:\/\/127\.0\.0\.1:1 \(connection refused\).*tektite serve/,
    );
  });

  it("uses --server and --token with --insecure-skip-tls-verify instead of a kubeconfig", async () => {
    const r = await c.cli(
      [
        "get",
        "taskruns",
        "-o",
        "name",
        "--server",
        c.h.server.url,
        "--token",
        c.h.server.token,
        "--insecure-skip-tls-verify",
      ],
      {
        KUBECONFIG: join(c.h.dataDir, "missing"),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "taskrun.tekton.dev/broken-run\ntaskrun.tekton.dev/greet-run\n");
  });

  it("deletes TaskRuns and says so like kubectl", async () => {
    const r = await c.cli(["delete", "taskrun", "broken-run", "nope"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'taskrun.tekton.dev "broken-run" deleted\n');
    assert.equal(r.stderr, 'Error from server (NotFound): taskruns.tekton.dev "nope" not found\n');
    const after = await c.cli(["get", "taskruns", "-o", "name"]);
    assert.equal(after.stdout, "taskrun.tekton.dev/greet-run\n");
  });
});
