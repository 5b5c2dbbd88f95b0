/**
 * A one-shot engine session, the core of `tektite run`: an in-memory store, the same engine as
 * `tektite serve`, every run created and watched until it is done. Ctrl-C cancels the runs the
 * way `spec.status: TaskRunCancelled` would and still reports their final status.
 */
import type { KubeObject, TaskRun } from "../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import { systemClock } from "../engine/clock.js";
import { Engine } from "../engine/engine.js";
import { isDone, isSucceeded, succeededCondition } from "../engine/taskrun/status.js";
import { TaskRunReason } from "../api/reasons.js";
import type { Executor } from "../executors/executor.js";
import { ConflictError, ResourceTypes, openMemoryStore, type ResourceType, type Store } from "../store/index.js";

export interface SessionOptions {
  objects: KubeObject[];
  executor: Executor;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  dataDir: string;
  maxParallel?: number;
  onLog?: (run: string, container: string, chunk: Buffer) => void;
  onRunDone?: (run: string) => void;
  notice?: (text: string) => void;
}

export interface SessionRun {
  object: KubeObject;
  succeeded: boolean;
  /** Wall-clock milliseconds from creation until the run was seen done. */
  durationMs?: number;
}

export interface SessionResult {
  runs: SessionRun[];
  interrupted: boolean;
  /** Things that kept a run from being run at all (no custom-task controller…). */
  problems: string[];
}

const RUN_KINDS = new Set(["TaskRun", "CustomRun", "Run"]);

function typeOf(kind: string): ResourceType | undefined {
  return (ResourceTypes as Record<string, ResourceType>)[kind];
}

function ensureNamespace(store: Store, ns: string): void {
  if (store.get(ResourceTypes.Namespace, undefined, ns) !== undefined) return;
  store.create(ResourceTypes.Namespace, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
}

/** Stores the supporting objects, then the runs; returns the created runs in input order. */
function createAll(store: Store, objects: KubeObject[]): Array<{ type: ResourceType; object: KubeObject }> {
  const runs: Array<{ type: ResourceType; object: KubeObject }> = [];
  const ordered = [...objects.filter((o) => !RUN_KINDS.has(o.kind)), ...objects.filter((o) => RUN_KINDS.has(o.kind))];
  for (const obj of ordered) {
    const type = typeOf(obj.kind);
    if (type === undefined) continue;
    if (type.namespaced) ensureNamespace(store, obj.metadata.namespace ?? "default");
    else if (obj.kind === "Namespace" && store.get(type, undefined, obj.metadata.name ?? "") !== undefined) continue;
    const created = store.create(type, obj);
    if (RUN_KINDS.has(obj.kind)) runs.push({ type, object: created });
  }
  return runs;
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const store = openMemoryStore();
  const engine = new Engine({
    store,
    executor: opts.executor,
    clock: systemClock,
    features: opts.features,
    defaults: opts.defaults,
    dataDir: opts.dataDir,
    ...(opts.maxParallel !== undefined ? { maxParallel: opts.maxParallel } : {}),
    onLog: (ev) => opts.onLog?.(ev.taskRun, ev.container, ev.chunk),
    onError: (key, err) => opts.notice?.(`error reconciling ${key}: ${err instanceof Error ? err.message : String(err)}`),
  });
  const problems: string[] = [];
  let interrupted = false;
  try {
    const created = createAll(store, opts.objects);
    const taskRuns = created.filter((c) => c.object.kind === "TaskRun");
    if (taskRuns.length > 0 && opts.executor.kind === "host") {
      opts.notice?.(
        `tektite: host executor${opts.executor.virtualPaths ? " (bubblewrap sandbox)" : ""}: steps run as processes on this machine; step images are ignored`,
      );
    }
    for (const c of created) {
      if (c.object.kind !== "TaskRun") {
        problems.push(`${c.object.kind}/${c.object.metadata.name ?? ""}: no custom task controller for ${customTarget(c.object)}`);
      }
    }
    const pending = new Set(taskRuns.map((c) => keyOf(c.object)));
    const createdAt = Date.now();
    const durations = new Map<string, number>();
    const finished = new Promise<void>((resolve) => {
      if (pending.size === 0) return resolve();
      const stop = store.watch<TaskRun>(ResourceTypes.TaskRun, {}, (ev) => {
        const k = keyOf(ev.object);
        if (!pending.has(k)) return;
        const heldBack = succeededCondition(ev.object.status)?.reason === TaskRunReason.Pending;
        if (!isDone(ev.object) && !heldBack) return;
        if (heldBack) problems.push(`TaskRun/${ev.object.metadata.name ?? ""} is pending (spec.status: TaskRunPending): tektite run does not start it`);
        pending.delete(k);
        durations.set(k, Date.now() - createdAt);
        opts.onRunDone?.(ev.object.metadata.name ?? "");
        if (pending.size === 0) {
          queueMicrotask(() => stop());
          resolve();
        }
      });
    });
    const cancelAll = (): void => {
      if (interrupted) process.exit(130);
      interrupted = true;
      opts.notice?.("tektite: cancelling every run (press Ctrl-C again to quit at once)");
      for (const k of pending) cancelTaskRun(store, k);
    };
    process.on("SIGINT", cancelAll);
    process.on("SIGTERM", cancelAll);
    try {
      engine.start();
      await finished;
      await engine.idle();
    } finally {
      process.off("SIGINT", cancelAll);
      process.off("SIGTERM", cancelAll);
    }
    const runs = created.map((c) => {
      const latest = store.get<KubeObject>(c.type, c.object.metadata.namespace, c.object.metadata.name ?? "") ?? c.object;
      const durationMs = durations.get(keyOf(latest));
      return {
        object: latest,
        succeeded: c.object.kind === "TaskRun" && isSucceeded(latest as TaskRun),
        ...(durationMs !== undefined ? { durationMs } : {}),
      };
    });
    return { runs, interrupted, problems };
  } finally {
    await engine.stop();
    store.close();
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? "default"}/${obj.metadata.name ?? ""}`;
}

function cancelTaskRun(store: Store, key: string): void {
  const [ns, name] = key.split("/") as [string, string];
  for (let i = 0; i < 10; i++) {
    const tr = store.get<TaskRun>(ResourceTypes.TaskRun, ns, name);
    if (tr === undefined || isDone(tr)) return;
    try {
      store.update(ResourceTypes.TaskRun, { ...tr, spec: { ...tr.spec, status: "TaskRunCancelled" } });
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // else a status write came first: read again
    }
  }
}

function customTarget(obj: KubeObject): string {
  const spec = (obj["spec"] ?? {}) as Record<string, { apiVersion?: string; kind?: string } | undefined>;
  const ref = spec["customRef"] ?? spec["customSpec"] ?? spec["ref"] ?? spec["spec"];
  return `${ref?.apiVersion ?? ""}/${ref?.kind ?? ""}`;
}
