/**
 * A one-shot engine session, the core of `tektite run`: an in-memory store, the same engine as
 * `tektite serve`, every run created and watched until it is done. Ctrl-C cancels the runs the
 * way `spec.status: TaskRunCancelled` / `RunCancelled` would and still reports their final status.
 */
import { isDone, isSucceeded, succeededCondition } from "../api/conditions.js";
import { isRunKind } from "../api/kinds.js";
import type { RunLimits } from "../engine/taskrun/limits.js";
import type { PipelineRunStatus } from "../api/pipeline-types.js";
import { cancelSpecStatus } from "../api/cancel.js";
import { PipelineLabel, PipelineRunReason, TaskRunReason } from "../api/reasons.js";
import type { KubeObject, TaskRun } from "../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import type { ResolverSettings } from "../config/resolvers.js";
import { type AnyCustomRun } from "../customtasks/run-view.js";
import { systemClock } from "../engine/clock.js";
import type { CustomRunDispatcher } from "../engine/customrun/dispatcher.js";
import { builtinDispatcher } from "./custom-tasks.js";
import { ExitCode } from "./exit-codes.js";
import { Engine } from "../engine/engine.js";
import { logNameOf } from "./output/log-printer.js";
import type { Executor } from "../executors/executor.js";
import {
  ConflictError,
  ResourceTypes,
  resourceTypeForKind,
  openMemoryStore,
  type ResourceType,
  type Store,
} from "../store/index.js";

export interface SessionOptions {
  objects: KubeObject[];
  executor: Executor;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  resolvers: ResolverSettings;
  dataDir: string;
  /** Allowed host paths and the server's bounds. */
  limits: RunLimits;
  maxParallel?: number;
  /** Custom-task controllers (default: the built-ins). */
  customTasks?: CustomRunDispatcher;
  onLog?: (run: string, container: string, chunk: Buffer) => void;
  /** Every step or sidecar output chunk with the TaskRun it belongs to (before `onLog`). */
  onStepLog?: (ev: { namespace: string; taskRun: string; container: string; chunk: Buffer }) => void;
  /**
   * Called once per run when it is done (or held back as pending), with its latest object; also
   * for each child of a PipelineRun.
   */
  onRunDone?: (run: KubeObject, durationMs: number) => void;
  notice?: (text: string) => void;
}

export interface SessionRun {
  object: KubeObject;
  succeeded: boolean;
  /** Wall-clock milliseconds from creation until the run was seen done. */
  durationMs?: number;
  /** Created by a PipelineRun of the input (its outcome is part of its PipelineRun's). */
  child?: boolean;
}

export interface SessionResult {
  runs: SessionRun[];
  interrupted: boolean;
  /** Things that kept a run from being run or finished (no custom-task controller, pending…). */
  problems: string[];
}

const keyOf = (obj: KubeObject): string =>
  `${obj.kind}/${obj.metadata.namespace ?? "default"}/${obj.metadata.name ?? ""}`;

function finished(obj: KubeObject): boolean {
  return obj.kind === "TaskRun" ? isDone(obj as TaskRun) : isDone(obj as AnyCustomRun);
}

function succeeded(obj: KubeObject): boolean {
  return obj.kind === "TaskRun" ? isSucceeded(obj as TaskRun) : isSucceeded(obj as AnyCustomRun);
}

function ensureNamespace(store: Store, ns: string): void {
  if (store.get(ResourceTypes.Namespace, undefined, ns) !== undefined) return;
  store.create(ResourceTypes.Namespace, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
}

/** Stores the supporting objects, then the runs; returns the created runs in input order. */
function createAll(store: Store, objects: KubeObject[]): Array<{ type: ResourceType; object: KubeObject }> {
  const runs: Array<{ type: ResourceType; object: KubeObject }> = [];
  const ordered = [...objects.filter((o) => !isRunKind(o.kind)), ...objects.filter((o) => isRunKind(o.kind))];
  for (const obj of ordered) {
    const type = resourceTypeForKind(obj.kind);
    if (type === undefined) continue;
    if (type.namespaced) ensureNamespace(store, obj.metadata.namespace ?? "default");
    else if (obj.kind === "Namespace" && store.get(type, undefined, obj.metadata.name ?? "") !== undefined)
      continue;
    const created = store.create(type, obj);
    if (isRunKind(obj.kind)) runs.push({ type, object: created });
  }
  return runs;
}

/** The children a PipelineRun created (and theirs, for pipelines in pipelines), in its task order. */
function childrenOf(store: Store, pr: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  const refs = (pr["status"] as PipelineRunStatus | undefined)?.childReferences ?? [];
  for (const ref of refs) {
    const type = resourceTypeForKind(ref.kind);
    const child = type && store.get<KubeObject>(type, pr.metadata.namespace, ref.name);
    if (child === undefined) continue;
    out.push(...(child.kind === "PipelineRun" ? childrenOf(store, child) : []), child);
  }
  return out;
}

/** Sets `spec.status` to the kind's cancel value, retrying over concurrent status writes. */
function cancelRun(store: Store, type: ResourceType, obj: KubeObject): void {
  const value = cancelSpecStatus(obj.kind);
  if (value === undefined) return;
  for (let i = 0; i < 10; i++) {
    const latest = store.get<KubeObject>(type, obj.metadata.namespace, obj.metadata.name ?? "");
    if (latest === undefined || finished(latest)) return;
    try {
      store.update(type, { ...latest, spec: { ...(latest["spec"] as object), status: value } });
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // else a status write came first: read again
    }
  }
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const store = openMemoryStore();
  // A PipelineRun's TaskRun logs under its pipeline task's name: `[task/step]`.
  const logNames = new Map<string, string>();
  const logName = (ns: string, taskRun: string): string => {
    const k = `${ns}/${taskRun}`;
    let n = logNames.get(k);
    if (n === undefined) {
      const tr = store.get<KubeObject>(ResourceTypes.TaskRun, ns, taskRun);
      n = tr === undefined ? taskRun : logNameOf(tr);
      logNames.set(k, n);
    }
    return n;
  };
  const dispatcher = opts.customTasks ?? builtinDispatcher();
  const engine = new Engine({
    store,
    executor: opts.executor,
    clock: systemClock,
    features: opts.features,
    defaults: opts.defaults,
    resolvers: opts.resolvers,
    dataDir: opts.dataDir,
    limits: opts.limits,
    customTasks: dispatcher,
    ...(opts.maxParallel !== undefined ? { maxParallel: opts.maxParallel } : {}),
    onLog: (ev) => {
      opts.onStepLog?.(ev);
      opts.onLog?.(logName(ev.namespace, ev.taskRun), ev.container, ev.chunk);
    },
    onCustomRunLog: (ev) => opts.onLog?.(ev.name, ev.container, ev.chunk),
    onError: (key, err) =>
      opts.notice?.(`error reconciling ${key}: ${err instanceof Error ? err.message : String(err)}`),
  });
  const problems: string[] = [];
  let interrupted = false;
  const stops: Array<() => void> = [];
  try {
    const created = createAll(store, opts.objects);
    if (
      created.some((c) => c.object.kind === "TaskRun" || c.object.kind === "PipelineRun") &&
      opts.executor.kind === "host"
    ) {
      opts.notice?.(
        `tektite: host executor${opts.executor.virtualPaths ? " (bubblewrap sandbox)" : ""}: steps run as processes on this machine; step images are ignored`,
      );
    }
    const tracked = created.filter((c) => {
      if (
        c.object.kind === "TaskRun" ||
        c.object.kind === "PipelineRun" ||
        dispatcher.hasController(c.object as AnyCustomRun)
      )
        return true;
      problems.push(
        `${c.object.kind}/${c.object.metadata.name ?? ""}: ${dispatcher.missingControllerMessage(c.object as AnyCustomRun)}`,
      );
      return false;
    });
    const pending = new Map(tracked.map((c) => [keyOf(c.object), c]));
    const createdAt = Date.now();
    const durations = new Map<string, number>();
    const allDone = new Promise<void>((resolve) => {
      if (pending.size === 0) return resolve();
      const onEvent = (obj: KubeObject): void => {
        const k = keyOf(obj);
        if (!pending.has(k)) return;
        const reason = succeededCondition(obj["status"])?.reason;
        const heldBack =
          (obj.kind === "TaskRun" && reason === TaskRunReason.Pending) ||
          (obj.kind === "PipelineRun" && reason === PipelineRunReason.Pending);
        if (!finished(obj) && !heldBack) return;
        if (heldBack) {
          const value = obj.kind === "TaskRun" ? TaskRunReason.Pending : PipelineRunReason.Pending;
          problems.push(
            `${obj.kind}/${obj.metadata.name ?? ""} is pending (spec.status: ${value}): tektite run does not start it`,
          );
        }
        pending.delete(k);
        durations.set(k, Date.now() - createdAt);
        opts.onRunDone?.(obj, Date.now() - createdAt);
        if (pending.size === 0) resolve();
      };
      for (const type of new Set(tracked.map((c) => c.type))) {
        stops.push(store.watch<KubeObject>(type, {}, (ev) => onEvent(ev.object)));
      }
    });
    // The children of PipelineRuns: their own durations and done lines, as they finish.
    const childStarts = new Map<string, number>();
    const onChild = (ev: { type: string; object: KubeObject }): void => {
      const k = keyOf(ev.object);
      if (ev.type === "ADDED") childStarts.set(k, Date.now());
      if (!finished(ev.object) || durations.has(k)) return;
      const ms = Date.now() - (childStarts.get(k) ?? createdAt);
      durations.set(k, ms);
      opts.onRunDone?.(ev.object, ms);
    };
    if (tracked.some((c) => c.object.kind === "PipelineRun")) {
      for (const type of [ResourceTypes.TaskRun, ResourceTypes.CustomRun, ResourceTypes.PipelineRun]) {
        stops.push(store.watch<KubeObject>(type, { labelSelector: PipelineLabel.PipelineRun }, onChild));
      }
    }
    const cancelAll = (): void => {
      if (interrupted) process.exit(ExitCode.Interrupted);
      interrupted = true;
      opts.notice?.("tektite: cancelling every run (press Ctrl-C again to quit at once)");
      for (const c of pending.values()) cancelRun(store, c.type, c.object);
    };
    process.on("SIGINT", cancelAll);
    process.on("SIGTERM", cancelAll);
    try {
      engine.start();
      await allDone;
      await engine.idle();
    } finally {
      process.off("SIGINT", cancelAll);
      process.off("SIGTERM", cancelAll);
    }
    const runs: SessionRun[] = [];
    for (const c of created) {
      const latest =
        store.get<KubeObject>(c.type, c.object.metadata.namespace, c.object.metadata.name ?? "") ?? c.object;
      if (latest.kind === "PipelineRun") {
        for (const child of childrenOf(store, latest)) {
          const ms = durations.get(keyOf(child));
          runs.push({
            object: child,
            succeeded: succeeded(child),
            child: true,
            ...(ms !== undefined ? { durationMs: ms } : {}),
          });
        }
      }
      const durationMs = durations.get(keyOf(latest));
      runs.push({
        object: latest,
        succeeded: succeeded(latest),
        ...(durationMs !== undefined ? { durationMs } : {}),
      });
    }
    return { runs, interrupted, problems };
  } finally {
    for (const stop of stops) stop();
    await engine.stop();
    store.close();
  }
}
