/**
 * The store's view of the kinds in the registry (`api/kinds.ts`): one {@link ResourceType} per
 * kind, at its storage version.
 *
 * @module
 */

import { ALL_KINDS, Kinds, type KindInfo, type KnownKind } from "../api/kinds.js";
import type { ResourceType } from "./store.js";

/** The store type of a registry entry. */
export function resourceTypeOf(k: KindInfo): ResourceType {
  return {
    group: k.group,
    version: k.storageVersion,
    resource: k.plural,
    kind: k.kind,
    namespaced: k.namespaced,
    statusSubresource: k.statusSubresource,
    ...(k.selectableFields !== undefined ? { selectableFields: k.selectableFields } : {}),
  };
}

/** The resource types tektite knows, keyed by kind. Tekton kinds use their storage version. */
export const ResourceTypes = Object.fromEntries(
  Object.entries(Kinds).map(([kind, info]) => [kind, resourceTypeOf(info)]),
) as { readonly [K in KnownKind]: ResourceType };

/** The type of a known kind, or undefined. */
export function resourceTypeForKind(kind: string): ResourceType | undefined {
  return Object.hasOwn(ResourceTypes, kind) ? ResourceTypes[kind as KnownKind] : undefined;
}

/** Finds a well-known type by plural resource name and group (`"taskruns"`, `"tekton.dev"`). */
export function findResourceType(group: string, resource: string): ResourceType | undefined {
  const k = ALL_KINDS.find((t) => t.group === group && t.plural === resource);
  return k === undefined ? undefined : ResourceTypes[k.kind as KnownKind];
}
