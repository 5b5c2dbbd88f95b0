/**
 * Scenario-test harness: the API server in process on an ephemeral port with a temp data dir,
 * and the real kubectl pointed at it through a generated kubeconfig.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject, TaskRun, TaskRunStatus } from "../../src/api/types.js";
import { defaultConfigDefaults, defaultFeatureFlags, type FeatureFlags } from "../../src/config/features.js";
import { systemClock } from "../../src/engine/clock.js";
import { Engine, type EngineOptions } from "../../src/engine/engine.js";
import type { Executor } from "../../src/executors/executor.js";
import { HostExecutor } from "../../src/executors/host.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { ResourceTypes, openMemoryStore, type Store } from "../../src/store/index.js";

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Harness {
  server: RunningServer;
  store: Store;
  dataDir: string;
  kubeconfigPath: string;
  env: NodeJS.ProcessEnv;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /** Starts a long-running kubectl (get -w, logs -f, wait). */
  spawnKubectl(args: string[]): ChildProcess;
  /** A raw HTTPS request (trusting the server certificate). */
  http(
    method: string,
    path: string,
    opts?: { token?: string | null; body?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { store?: Store; dataDir?: string; features?: FeatureFlags } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "tektite-server-"));
  const home = join(dataDir, "home");
  mkdirSync(home, { recursive: true });
  const store = opts.store ?? openMemoryStore();
  const server = await startServer({
    store,
    dataDir,
    features: opts.features ?? defaultFeatureFlags(),
    defaults: defaultConfigDefaults(),
    port: 0,
    logPollMs: 50,
    bookmarkIntervalMs: 500,
  });
  const kubeconfigPath = join(dataDir, "kubeconfig");
  writeFileSync(kubeconfigPath, server.kubeconfig, { mode: 0o600 });
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, KUBECONFIG: kubeconfigPath };
  const spawnKubectl = (args: string[]): ChildProcess =>
    spawn("kubectl", args, { env, stdio: ["pipe", "pipe", "pipe"] });
  return {
    server,
    store,
    dataDir,
    kubeconfigPath,
    env,
    spawnKubectl,
    kubectl: (args, input) =>
      new Promise((resolve, reject) => {
        const child = spawnKubectl(args);
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin?.end(input ?? "");
      }),
    http: (method, path, o = {}) =>
      new Promise((resolve, reject) => {
        const url = new URL(path, server.url);
        const headers: Record<string, string> = { ...(o.headers ?? {}) };
        if (o.token !== null) headers["authorization"] = `Bearer ${o.token ?? server.token}`;
        const req = request(url, { method, headers, ca: server.certificate, agent: false }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end(o.body);
      }),
    close: async () => {
      await server.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A harness whose server has the real engine running behind it. */
export interface EngineHarness extends Harness {
  engine: Engine;
}

/** The host executor without a sandbox, the engine's executor unless a test picks another. */
export function plainHostExecutor(): HostExecutor {
  return new HostExecutor({ sandbox: "none", hostEnv: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
}

/**
 * The in-process server with the engine reconciling its store; `close` stops the engine first.
 * Engine options not given take the defaults `tektite serve` uses.
 */
export async function startEngineHarness(
  opts: {
    features?: FeatureFlags;
    executor?: Executor;
    engine?: Pick<EngineOptions, "customTasks" | "resolvers">;
  } = {},
): Promise<EngineHarness> {
  const store = openMemoryStore();
  const features = opts.features ?? defaultFeatureFlags();
  const h = await startHarness({ store, features });
  const engine = new Engine({
    store,
    executor: opts.executor ?? plainHostExecutor(),
    clock: systemClock,
    features,
    defaults: defaultConfigDefaults(),
    dataDir: h.dataDir,
    ...opts.engine,
  });
  engine.start();
  return {
    ...h,
    engine,
    close: async () => {
      await engine.stop();
      await h.close();
    },
  };
}

/** Collects a child's stdout until `predicate` holds on it. */
export function readUntil(child: ChildProcess, predicate: (out: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (predicate(out)) {
        child.stdout?.off("data", onData);
        resolve(out);
      }
    };
    child.stdout?.on("data", onData);
    child.on("close", (code) => {
      if (!predicate(out))
        reject(new Error(`kubectl exited (${String(code)}) before the expected output; got:\n${out}`));
    });
  });
}

/** Waits for a child to exit; returns its code and remaining stdout. */
export function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    if (child.exitCode !== null) resolve({ code: child.exitCode, stdout });
    else child.on("close", (code) => resolve({ code, stdout }));
  });
}

/** Writes a TaskRun's status through the store, as the engine would. */
export function writeStatus(store: Store, namespace: string, name: string, status: TaskRunStatus): TaskRun {
  const current = store.get<TaskRun>(ResourceTypes.TaskRun, namespace, name);
  if (current === undefined) throw new Error(`no TaskRun ${namespace}/${name}`);
  return store.update<TaskRun>(ResourceTypes.TaskRun, { ...current, status }, { subresource: "status" });
}

/** A condition `Succeeded` with the given status and reason. */
export function succeeded(
  status: "True" | "False" | "Unknown",
  reason: string,
  message = "",
): TaskRunStatus["conditions"] {
  return [{ type: "Succeeded", status, reason, message, lastTransitionTime: new Date().toISOString() }];
}

export const TASK_AND_RUN_YAML = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
spec:
  steps:
    - name: echo
      image: alpine
      script: echo hello
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: hello-run
spec:
  taskRef:
    name: hello
`;

export type { KubeObject };
