/**
 * Kubernetes' garbage collection of dependents, done at once when an owner is deleted: every
 * object of the namespace whose `ownerReferences` name the owner's uid is deleted too, and theirs
 * in turn (a PipelineRun takes its TaskRuns, CustomRuns, child PipelineRuns and claims with it).
 * `propagationPolicy: Orphan` keeps the dependents, as the API server does.
 *
 * @module
 */
import type { KubeObject } from "../api/types.js";
import { NotFoundError, ResourceTypes, type ResourceType, type Store } from "../store/index.js";

/** `DeleteOptions.propagationPolicy`. */
export const PropagationPolicy = {
  Orphan: "Orphan",
  Background: "Background",
  Foreground: "Foreground",
} as const;
/** One of {@link PropagationPolicy}'s values. */
export type PropagationPolicy = (typeof PropagationPolicy)[keyof typeof PropagationPolicy];

function ownedBy(obj: KubeObject, uid: string): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r["uid"] === uid);
}

/** Deletes the dependents of a deleted owner (not for `Orphan`); returns the deleted objects. */
export function deleteDependents(
  store: Store,
  types: readonly ResourceType[],
  owner: KubeObject,
  policy: string | undefined,
): KubeObject[] {
  if (policy === PropagationPolicy.Orphan) return [];
  const namespace = owner.metadata.namespace;
  const pending = [owner.metadata.uid].filter((u): u is string => typeof u === "string" && u !== "");
  const deleted: KubeObject[] = [];
  for (let uid = pending.pop(); uid !== undefined; uid = pending.pop()) {
    for (const type of types) {
      const list = store.list(type, namespace !== undefined ? { namespace } : {}).items;
      for (const dep of list.filter((o) => ownedBy(o, uid))) {
        try {
          deleted.push(store.delete(type, dep.metadata.namespace, dep.metadata.name ?? ""));
        } catch (err) {
          // Already gone (deleted concurrently): nothing left to collect for it.
          if (!(err instanceof NotFoundError)) throw err;
          continue;
        }
        if (typeof dep.metadata.uid === "string") pending.push(dep.metadata.uid);
      }
    }
  }
  return deleted;
}

/**
 * Deletes the Events about the given (deleted) objects. The API server lets Events expire after an
 * hour; tektite keeps no expiry, so an Event goes with the object it is about.
 */
export function deleteEventsOf(store: Store, objects: readonly KubeObject[]): void {
  const byNamespace = new Map<string, Set<string>>();
  for (const o of objects) {
    const uid = o.metadata.uid;
    if (typeof uid !== "string" || uid === "") continue;
    const ns = o.metadata.namespace ?? "default";
    byNamespace.set(ns, (byNamespace.get(ns) ?? new Set()).add(uid));
  }
  for (const [namespace, uids] of byNamespace) {
    for (const ev of store.list(ResourceTypes.Event, { namespace }).items) {
      const about = (ev["involvedObject"] as { uid?: unknown } | undefined)?.uid;
      if (typeof about !== "string" || !uids.has(about)) continue;
      try {
        store.delete(ResourceTypes.Event, namespace, ev.metadata.name ?? "");
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
  }
}
