/**
 * `tektite rerun taskrun NAME` and `tektite start task NAME --remote --last | --use-taskrun NAME`
 * against `tektite serve` with the engine on the host: a new run from the old spec, followed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { ResourceTypes } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";
import { startEngineHarness, type EngineHarness } from "../server/harness.js";

const YAML = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  params:
    - name: who
  steps:
    - name: say
      image: busybox
      script: echo "hello $(params.who)"
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: greet-first
  labels:
    team: blue
spec:
  taskRef:
    name: greet
  params:
    - name: who
      value: world
`;

describe("rerunning TaskRuns on tektite serve", () => {
  let h: EngineHarness;
  let env: Record<string, string>;
  before(async () => {
    h = await startEngineHarness();
    env = h.env as Record<string, string>;
    await h.kubectl(["apply", "-f", "-"], YAML);
    const wait = await h.kubectl([
      "wait",
      "--for=condition=Succeeded",
      "taskrun/greet-first",
      "--timeout=60s",
    ]);
    assert.equal(wait.code, 0, wait.stderr);
  });
  after(async () => {
    await h.close();
  });
  const runs = (): TaskRun[] => h.store.list<TaskRun>(ResourceTypes.TaskRun, { namespace: "default" }).items;

  it("tektite rerun taskrun creates a new run from the old spec and labels, and follows its logs", async () => {
    const r = await runCli(["rerun", "taskrun", "greet-first"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /TaskRun started: greet-first-r-[a-z0-9]{5} \(rerun of greet-first\)/);
    assert.match(r.stdout, /hello world/);
    const again = runs().find((t) => t.metadata.name?.startsWith("greet-first-r-"));
    assert.ok(again);
    assert.deepEqual(again.spec.params, [{ name: "who", value: "world" }]);
    assert.equal(again.metadata.labels?.["team"], "blue");
    assert.equal(again.status?.conditions?.[0]?.status, "True");
  });

  it("tektite start task --last reuses the latest TaskRun's spec, with -p taking precedence; --use-taskrun names one", async () => {
    const last = await runCli(["start", "task", "greet", "--remote", "--last", "-p", "who=again"], { env });
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, /hello again/);
    const used = await runCli(["start", "task", "greet", "--remote", "--use-taskrun", "greet-first"], {
      env,
    });
    assert.equal(used.code, 0, used.stderr);
    assert.match(used.stdout, /hello world/);
    const local = await runCli(["start", "task", "greet", "--last", "-f", "x.yaml"], { env });
    assert.equal(local.code, 2);
    assert.match(local.stderr, /--last and --use-taskrun repeat a TaskRun stored on a server: add --remote/);
  });
});
