/**
 * The retention setting of `tektite serve` (`--keep N` / `--keep-since D`, `retention:` in the
 * config file), applied as Tekton's event-driven pruner does: whenever a run finishes, and on a
 * timer for `keepSince`, the completed runs of that namespace and kind beyond the policy are
 * deleted. Standalone TaskRuns and top-level PipelineRuns are counted; a PipelineRun's TaskRuns,
 * CustomRuns and child PipelineRuns go with it, as owner references make them. A deleted run takes
 * its Events, and the engine removes its pod directories and logs when it sees the deletion.
 *
 * @module
 */
import { runsToPrune, type RetentionPolicy } from "../api/retention.js";
import type { KubeObject } from "../api/types.js";
import {
  NotFoundError,
  ResourceTypes,
  WatchEventType,
  type ResourceType,
  type StopWatch,
  type Store,
} from "../store/index.js";
import { deleteDependents, deleteEventsOf } from "./owners.js";
import { namespacedTypes } from "./resources.js";

/** The kinds a policy applies to, as the pruner's `resources: [taskrun, pipelinerun]`. */
const PRUNED_TYPES: readonly ResourceType[] = [ResourceTypes.TaskRun, ResourceTypes.PipelineRun];

/** Options of {@link startPruner}. */
export interface PrunerOptions {
  store: Store;
  policy: RetentionPolicy;
  now: () => Date;
  /** A run that could not be deleted; pruning goes on with the others. */
  onError: (err: unknown) => void;
  /** How often runs aging past `keepSince` are looked for (default: half of it, 1 s to 60 s). */
  sweepMs?: number;
}

interface RunStatus {
  startTime?: string;
  completionTime?: string;
}

/** Owned by a PipelineRun: counted and pruned with its parent, not on its own. */
function isChild(o: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r["kind"] === "PipelineRun");
}

/** Deletes one run with its dependents and their Events; false when it was already gone. */
function pruneRun(store: Store, type: ResourceType, namespace: string, name: string): boolean {
  let deleted: KubeObject;
  try {
    deleted = store.delete(type, namespace, name);
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  const dependents = deleteDependents(store, namespacedTypes(), deleted, undefined);
  deleteEventsOf(store, [deleted, ...dependents]);
  return true;
}

/** Applies the policy to one namespace's runs of one kind; returns the names deleted. */
export function pruneNamespace(
  store: Store,
  type: ResourceType,
  namespace: string,
  policy: RetentionPolicy,
  now: Date,
): string[] {
  const runs = store
    .list(type, { namespace })
    .items.filter((o) => !isChild(o))
    .map((o) => {
      const status = (o["status"] ?? {}) as RunStatus;
      return {
        name: o.metadata.name ?? "",
        startTime: status.startTime,
        completionTime: status.completionTime,
        creationTimestamp: o.metadata.creationTimestamp,
      };
    });
  return runsToPrune(runs, policy, now).filter((name) => pruneRun(store, type, namespace, name));
}

/** Starts pruning by `policy`; returns the stopper. */
export function startPruner(opts: PrunerOptions): StopWatch {
  const pending = new Map<string, { type: ResourceType; namespace: string }>();
  let flush: NodeJS.Immediate | undefined;
  const run = (): void => {
    flush = undefined;
    const work = [...pending.values()];
    pending.clear();
    for (const w of work) {
      try {
        pruneNamespace(opts.store, w.type, w.namespace, opts.policy, opts.now());
      } catch (err) {
        opts.onError(err);
      }
    }
  };
  // Deletions happen outside the watch callback that asked for them, coalesced per namespace.
  const schedule = (type: ResourceType, namespace: string): void => {
    pending.set(`${type.kind}/${namespace}`, { type, namespace });
    flush ??= setImmediate(run);
  };
  const sweep = (): void => {
    for (const type of PRUNED_TYPES) {
      const namespaces = new Set(opts.store.list(type).items.map((o) => o.metadata.namespace ?? "default"));
      for (const ns of namespaces) schedule(type, ns);
    }
  };
  const stops: StopWatch[] = PRUNED_TYPES.map((type) =>
    opts.store.watch(type, { resourceVersion: opts.store.list(type).resourceVersion }, (event) => {
      if (event.type !== WatchEventType.Added && event.type !== WatchEventType.Modified) return;
      const status = (event.object["status"] ?? {}) as RunStatus;
      if (status.completionTime !== undefined) schedule(type, event.object.metadata.namespace ?? "default");
    }),
  );
  sweep();
  const since = opts.policy.keepSinceMs;
  const every =
    opts.sweepMs ?? (since !== undefined ? Math.min(60_000, Math.max(1_000, since / 2)) : undefined);
  const timer = every !== undefined ? setInterval(sweep, every) : undefined;
  timer?.unref();
  return () => {
    for (const stop of stops) stop();
    if (timer !== undefined) clearInterval(timer);
    if (flush !== undefined) clearImmediate(flush);
  };
}
