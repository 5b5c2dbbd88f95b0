/** `tektite serve` killed with SIGKILL mid-run and started again on the same data directory. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cleanup, serve as startServe, type Served } from "../helpers/serve.js";

const RUNS = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: quick
spec:
  taskSpec:
    steps:
      - image: busybox
        script: echo done
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: slow
spec:
  taskSpec:
    steps:
      - name: nap
        image: busybox
        script: |
          echo napping
          sleep 600
`;

/** `tektite serve` on `dataDir` (kept across restarts); its kubeconfig is removed when the test ends. */
async function serve(
  t: { after: (fn: () => Promise<void>) => void },
  dataDir: string,
  executor: "host" | "podman" = "host",
): Promise<Served> {
  const s = await startServe({ dataDir, executor });
  t.after(() => cleanup(s));
  return s;
}

function kubectl(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const k = spawn("kubectl", args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    k.stdout.on("data", (d: Buffer) => (out += d.toString()));
    k.stderr.on("data", (d: Buffer) => (err += d.toString()));
    k.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(" ")}: ${err}`)),
    );
    k.stdin.end(input ?? "");
  });
}

const reason = (env: NodeJS.ProcessEnv, name: string): Promise<string> =>
  kubectl(env, [
    "get",
    "taskrun",
    name,
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].reason}',
  ]);

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition never held");
}

void test("after kill -9 and a restart every object is still there and the interrupted run fails with a clear reason", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-restart-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await serve(t, dataDir);
  await kubectl(first.env, ["create", "-f", "-"], RUNS);
  await until(
    async () =>
      (await reason(first.env, "quick")) === "Succeeded" && (await reason(first.env, "slow")) === "Running",
  );

  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("close", r));

  const second = await serve(t, dataDir);
  await until(async () => (await reason(second.env, "slow")) !== "Running");
  assert.equal(await reason(second.env, "quick"), "Succeeded");
  assert.equal(await reason(second.env, "slow"), "Failed");
  const message = await kubectl(second.env, [
    "get",
    "taskrun",
    "slow",
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].message}',
  ]);
  assert.match(message, /was interrupted/);
  const names = await kubectl(second.env, ["get", "taskruns", "-o", "name"]);
  assert.equal(names, "taskrun.tekton.dev/quick\ntaskrun.tekton.dev/slow\n");
  const logs = await kubectl(second.env, ["logs", "slow-pod", "-c", "step-nap"]);
  assert.match(logs, /napping/);
  const metrics = await kubectl(second.env, ["get", "--raw", "/metrics"]);
  assert.match(metrics, /tektite_reconcile_duration_seconds_count\{kind="TaskRun",result="ok"\} [1-9]/);
});

function podman(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn("podman", args, { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.on("error", () => resolve({ code: 127, stdout: "" }));
    p.on("close", (code) => resolve({ code, stdout }));
  });
}

const RESUMABLE = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: resumable
spec:
  taskSpec:
    results:
      - name: said
    steps:
      - name: first
        image: busybox
        script: |
          echo before the restart
          sleep 5
          echo after the restart
          printf hello > $(results.said.path)
      - name: second
        image: busybox
        script: echo second step
`;

void test("after kill -9 a step running in a container is re-attached and the run finishes normally", async (t) => {
  const works = (await podman(["image", "exists", "localhost/tektite/busybox:latest"])).code === 0;
  if (!works) {
    if (process.env["CI"] === "true") assert.fail("podman with the stand-in images is required in CI");
    t.skip("podman or the stand-in images are not available here");
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-restart-podman-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await serve(t, dataDir, "podman");
  await kubectl(first.env, ["create", "-f", "-"], RESUMABLE);
  // Wait for the step's own output, so that its container is surely running when the server dies.
  const log = join(dataDir, "pods", "default", "resumable-pod", "logs", "step-first.log");
  await until(async () => existsSync(log) && readFileSync(log, "utf8").includes("before the restart"));
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("close", r));

  const second = await serve(t, dataDir, "podman");
  await until(async () => (await reason(second.env, "resumable")) !== "Running");
  const why = await kubectl(second.env, [
    "get",
    "taskrun",
    "resumable",
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].message}',
  ]);
  assert.equal(await reason(second.env, "resumable"), "Succeeded", why);
  const results = await kubectl(second.env, [
    "get",
    "taskrun",
    "resumable",
    "-o",
    "jsonpath={.status.results[0].value}",
  ]);
  assert.equal(results, "hello");
  assert.match(await kubectl(second.env, ["logs", "resumable-pod", "-c", "step-first"]), /after the restart/);
  assert.match(await kubectl(second.env, ["logs", "resumable-pod", "-c", "step-second"]), /second step/);
  // This run's containers only: those of an earlier run of the same TaskRun name are not ours.
  const podDir = join(dataDir, "pods", "default", "resumable-pod");
  const filter = ["--filter", `label=io.tektite.pod-dir=${podDir}`];
  await until(async () => (await podman(["ps", "-aq", ...filter])).stdout.trim() === "");
});

const PIPELINE = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: pipe
spec:
  pipelineSpec:
    tasks:
      - name: first
        taskSpec:
          steps:
            - image: busybox
              script: echo first done
      - name: second
        runAfter: [first]
        taskSpec:
          steps:
            - image: busybox
              script: |
                echo napping
                sleep 600
    finally:
      - name: last
        taskSpec:
          steps:
            - image: busybox
              script: echo last
`;

const prReason = (env: NodeJS.ProcessEnv): Promise<string> =>
  kubectl(env, [
    "get",
    "pipelinerun",
    "pipe",
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].reason}',
  ]);

void test("after kill -9 mid-PipelineRun no child is created twice, the finished one is not re-run and the run settles", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-restart-pr-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await serve(t, dataDir);
  await kubectl(first.env, ["create", "-f", "-"], PIPELINE);
  await until(async () => (await reason(first.env, "pipe-second").catch(() => "")) === "Running");
  const uid = await kubectl(first.env, ["get", "taskrun", "pipe-first", "-o", "jsonpath={.metadata.uid}"]);

  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("close", r));

  const second = await serve(t, dataDir);
  await until(async () => ["Failed", "Succeeded"].includes(await prReason(second.env)));
  assert.equal(await prReason(second.env), "Failed");
  assert.equal(
    await kubectl(second.env, ["get", "taskrun", "pipe-first", "-o", "jsonpath={.metadata.uid}"]),
    uid,
  );
  assert.equal(await reason(second.env, "pipe-first"), "Succeeded");
  assert.equal(await reason(second.env, "pipe-second"), "Failed");
  assert.equal(await reason(second.env, "pipe-last"), "Succeeded");
  const names = await kubectl(second.env, ["get", "taskruns", "-o", "name"]);
  assert.equal(
    names,
    "taskrun.tekton.dev/pipe-first\ntaskrun.tekton.dev/pipe-last\ntaskrun.tekton.dev/pipe-second\n",
  );
  const message = await kubectl(second.env, [
    "get",
    "pipelinerun",
    "pipe",
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].message}',
  ]);
  assert.equal(message, "Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 0");
});
