/**
 * Kubernetes' garbage collection of dependents, done at once when an owner is deleted: every
 * object of the namespace whose `ownerReferences` name the owner's uid is deleted too, and theirs
 * in turn (a PipelineRun takes its TaskRuns, CustomRuns, child PipelineRuns and claims with it).
 * `propagationPolicy: Orphan` keeps the dependents, as the API server does.
 *
 * @module
 */
import type { KubeObject } from "../api/types.js";
import { NotFoundError, type ResourceType, type Store } from "../store/index.js";

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

/** Deletes the dependents of a deleted owner (not for `Orphan`); returns how many were deleted. */
export function deleteDependents(
  store: Store,
  types: readonly ResourceType[],
  owner: KubeObject,
  policy: string | undefined,
): number {
  if (policy === PropagationPolicy.Orphan) return 0;
  const namespace = owner.metadata.namespace;
  const pending = [owner.metadata.uid].filter((u): u is string => typeof u === "string" && u !== "");
  let deleted = 0;
  for (let uid = pending.pop(); uid !== undefined; uid = pending.pop()) {
    for (const type of types) {
      const list = store.list(type, namespace !== undefined ? { namespace } : {}).items;
      for (const dep of list.filter((o) => ownedBy(o, uid))) {
        try {
          store.delete(type, dep.metadata.namespace, dep.metadata.name ?? "");
          deleted++;
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
