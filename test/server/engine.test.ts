/**
 * End to end: kubectl → API → store → the real Engine with the host executor → status, Pods,
 * logs, Events and metrics back through the API.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startEngineHarness, type EngineHarness } from "./harness.js";

const YAML = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  steps:
    - name: hello
      image: alpine
      script: |
        echo hello from tektite
    - name: bye
      image: alpine
      script: |
        echo bye
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: greet-run
spec:
  taskRef:
    name: greet
`;

describe("kubectl with the engine running TaskRuns on the host", () => {
  let h: EngineHarness;
  before(async () => {
    h = await startEngineHarness();
  });
  after(async () => {
    await h.close();
  });

  it("runs an applied TaskRun to Succeeded and serves its pod, step logs, events and metrics", async () => {
    const applied = await h.kubectl(["apply", "-f", "-"], YAML);
    assert.equal(applied.code, 0, applied.stderr);
    const wait = await h.kubectl(["wait", "--for=condition=Succeeded", "taskrun/greet-run", "--timeout=60s"]);
    assert.equal(wait.code, 0, wait.stderr);

    const get = await h.kubectl(["get", "taskruns", "greet-run"]);
    assert.match(get.stdout, /greet-run\s+True\s+Succeeded\s+\S+\s+\S+/);
    const podName = (await h.kubectl(["get", "tr", "greet-run", "-o", "jsonpath={.status.podName}"])).stdout;
    assert.equal(podName, "greet-run-pod");
    const pods = await h.kubectl(["get", "pods", "-l", "tekton.dev/taskRun=greet-run"]);
    assert.match(pods.stdout, /greet-run-pod\s+0\/2\s+Completed\s+0/);
    const logs = await h.kubectl(["logs", podName, "-c", "step-hello"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, "hello from tektite\n");
    const ambiguous = await h.kubectl(["logs", podName]);
    assert.match(ambiguous.stderr, /Defaulted container "step-hello" out of: step-hello, step-bye/);
    assert.equal(ambiguous.stdout, "hello from tektite\n");

    const events = await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=greet-run"]);
    assert.match(events.stdout, /Normal\s+Started\s+taskrun\/greet-run/);
    assert.match(events.stdout, /Normal\s+Succeeded\s+taskrun\/greet-run/);
    // Identical events are one Event with a count, as Kubernetes' event correlator keeps them.
    const listed = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=greet-run",
      "-o",
      "json",
    ]);
    const started = (
      JSON.parse(listed.stdout) as { items: Array<{ reason: string; count: number }> }
    ).items.filter((e) => e.reason === "Started");
    assert.equal(started.length, 1, JSON.stringify(started));
    assert.ok(started[0]!.count >= 1);

    const metrics = await h.http("GET", "/metrics");
    assert.match(metrics.body, /tekton_pipelines_controller_taskrun_total\{status="success"\} 1/);
    assert.match(
      metrics.body,
      /tekton_pipelines_controller_taskrun_duration_seconds_count\{namespace="default",status="success"\} 1/,
    );
  });

  it("cancels a running TaskRun with kubectl patch and keeps its logs", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: long-run
spec:
  taskSpec:
    steps:
      - name: sleep
        image: alpine
        script: |
          echo started
          sleep 60
`;
    assert.equal((await h.kubectl(["create", "-f", "-"], yaml)).code, 0);
    const follow = h.spawnKubectl([
      "logs",
      "-f",
      "long-run-pod",
      "-c",
      "step-sleep",
      "--pod-running-timeout=30s",
    ]);
    let out = "";
    await new Promise<void>((resolve) => {
      follow.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("started")) resolve();
      });
      follow.on("close", () => resolve());
    });
    const patched = await h.kubectl([
      "patch",
      "tr",
      "long-run",
      "--type",
      "merge",
      "-p",
      '{"spec":{"status":"TaskRunCancelled"}}',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    const wait = await h.kubectl([
      "wait",
      "--for=jsonpath={.status.conditions[0].reason}=TaskRunCancelled",
      "taskrun/long-run",
      "--timeout=60s",
    ]);
    assert.equal(wait.code, 0, wait.stderr);
    await new Promise<void>((resolve) =>
      follow.exitCode !== null ? resolve() : follow.on("close", () => resolve()),
    );
    assert.match(out, /started/);
    const logs = await h.kubectl(["logs", "long-run-pod", "-c", "step-sleep"]);
    assert.equal(logs.stdout, "started\n");
  });
});
