/**
 * What an update stores, as the Kubernetes API server decides it: a status write takes only the
 * status; any other update keeps the server-owned metadata, keeps the status where the kind has a
 * status subresource, and bumps `generation` when the spec changed.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { deepEqual, specPart } from "./objects.js";
import type { ResourceType } from "./store.js";

/**
 * The object a status write would store: `stored` (the store's own fresh copy, left unchanged
 * as the change's `prev`) with the input's status; only the metadata, which `commit` stamps, is
 * copied.
 */
export function statusWriteOf(stored: KubeObject, input: KubeObject): KubeObject {
  const next: KubeObject = { ...stored, metadata: { ...stored.metadata } };
  if (input["status"] === undefined) delete next["status"];
  else next["status"] = input["status"];
  return next;
}

/** The object a (non-status) update would store (resourceVersion still the stored one). */
export function updateOf(type: ResourceType, stored: KubeObject, input: KubeObject): KubeObject {
  const next = input;
  const sm = stored.metadata;
  next.metadata = {
    ...input.metadata,
    name: sm.name,
    uid: sm.uid,
    resourceVersion: sm.resourceVersion,
    creationTimestamp: sm.creationTimestamp,
    generation: sm.generation ?? 1,
  };
  if (type.namespaced) next.metadata.namespace = sm.namespace;
  else delete next.metadata.namespace;
  for (const k of ["generateName", "deletionTimestamp"] as const) {
    if (sm[k] !== undefined) next.metadata[k] = sm[k];
    else delete next.metadata[k];
  }
  if (!next.apiVersion) next.apiVersion = stored.apiVersion;
  if (!next.kind) next.kind = stored.kind;
  if (type.statusSubresource) {
    if (stored["status"] === undefined) delete next["status"];
    else next["status"] = stored["status"];
  }
  if (!deepEqual(specPart(type, next), specPart(type, stored))) {
    next.metadata.generation = (sm.generation ?? 1) + 1;
  }
  return next;
}
