/**
 * Scenario harness for the server commands: the API server and the real engine (host executor)
 * in process, and the real CLI (`node bin/tektite.js`) spawned with a kubeconfig pointing at it.
 */
import { succeededCondition } from "../../src/api/conditions.js";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { KubeObject } from "../../src/api/types.js";
import { Engine } from "../../src/engine/engine.js";
import { builtinDispatcher } from "../../src/cli/custom-tasks.js";
import { ResourceTypes, type ResourceType } from "../../src/store/index.js";
import { startEngineHarness, type EngineHarness } from "../server/harness.js";

/** The CLI entry point, from `dist/test/cli-server/`. */
export const BIN = fileURLToPath(new URL("../../../bin/tektite.js", import.meta.url));

/** What a finished CLI run printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A server with an engine, and the CLI pointed at it. */
export interface CliHarness {
  h: EngineHarness;
  engine: Engine;
  /** Runs `tektite ARGS` to completion (env: KUBECONFIG of this server, plus `env`). */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Starts `tektite ARGS` (for `logs -f`). */
  spawnCli(args: string[]): ChildProcess;
  /** Creates objects from a YAML stream through the API. */
  apply(yaml: string): Promise<void>;
  /** Polls the store until the object satisfies `ready` (guarded by a generous deadline). */
  waitFor<T extends KubeObject>(type: ResourceType, name: string, ready: (o: T) => boolean): Promise<T>;
  close(): Promise<void>;
}

const PLURAL: Record<string, { group: string; version: string; resource: string }> = {
  Task: { group: "tekton.dev", version: "v1", resource: "tasks" },
  TaskRun: { group: "tekton.dev", version: "v1", resource: "taskruns" },
  CustomRun: { group: "tekton.dev", version: "v1beta1", resource: "customruns" },
  Pipeline: { group: "tekton.dev", version: "v1", resource: "pipelines" },
  PipelineRun: { group: "tekton.dev", version: "v1", resource: "pipelineruns" },
};

/** Starts the server, the engine and returns the CLI helpers. */
export async function startCliHarness(): Promise<CliHarness> {
  const h = await startEngineHarness({ engine: { customTasks: builtinDispatcher() } });
  const { engine, store } = h;
  const spawnCli = (args: string[], env: Record<string, string> = {}): ChildProcess =>
    spawn(process.execPath, [BIN, ...args], { env: { ...h.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return {
    h,
    engine,
    spawnCli,
    cli: (args, env) =>
      new Promise((resolve, reject) => {
        const child = spawnCli(args, env);
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      }),
    apply: async (yaml) => {
      for (const doc of YAML.parseAllDocuments(yaml)) {
        const obj = doc.toJS() as KubeObject;
        const p = PLURAL[obj.kind];
        if (p === undefined) throw new Error(`harness cannot create ${obj.kind}`);
        const res = await h.http("POST", `/apis/${p.group}/${p.version}/namespaces/default/${p.resource}`, {
          body: JSON.stringify(obj),
          headers: { "content-type": "application/json" },
        });
        if (res.status !== 201) throw new Error(`create ${obj.kind}: ${res.status} ${res.body}`);
      }
    },
    waitFor: async <T extends KubeObject>(
      type: ResourceType,
      name: string,
      ready: (o: T) => boolean,
    ): Promise<T> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const o = store.get<T>(type, "default", name);
        if (o !== undefined && ready(o)) return o;
        if (Date.now() > deadline)
          throw new Error(
            `${type.kind} ${name} did not reach the expected state: ${JSON.stringify(o?.["status"])}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => h.close(),
  };
}

/** The `Succeeded` condition's status and reason of a run. */
export function outcome(o: KubeObject): { status?: string; reason?: string } {
  const c = succeededCondition(o["status"]);
  return c === undefined ? {} : { status: c.status, ...(c.reason !== undefined ? { reason: c.reason } : {}) };
}

/** Whether a run has finished. */
export function finished(o: KubeObject): boolean {
  const s = outcome(o).status;
  return s === "True" || s === "False";
}

/** Collects a child's output and exit code. */
export function collect(child: ChildProcess): { done: Promise<CliResult>; stdout: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { done, stdout: () => stdout };
}

export { ResourceTypes };
