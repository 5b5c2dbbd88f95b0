/**
 * The resources the API serves: which group/version/resource path maps to which stored type,
 * with the discovery facts (verbs, short names, categories) kubectl reads.
 *
 * Tekton kinds are stored in one version (Task/TaskRun/Pipeline/PipelineRun: v1, StepAction/CustomRun: v1beta1,
 * Run: v1alpha1). A request on another served version is admitted through `admit`, which
 * converts to the stored version; reads on such a version return the stored shape with only
 * `apiVersion` rewritten (tektite does not convert v1 back to v1beta1).
 *
 * @module
 */

import { ALL_KINDS, apiVersionString, isServed, type KindInfo, type KnownKind } from "../api/kinds.js";
import { ResourceTypes, type ResourceType } from "../store/index.js";

/** Verbs as discovery lists them. */
const READ_WRITE = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
] as const;
const READ_ONLY = ["get", "list", "watch"] as const;

/** One served resource at one group/version. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  /** Plural: `taskruns`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** The stored type (its version may differ from {@link version}). */
  readonly type: ResourceType;
  /** The kind's registry entry. */
  readonly info: KindInfo;
  /** Objects are synthesized (pods): read-only, not stored. */
  readonly synthesized?: boolean;
}

/** Everything served, in discovery order: each served kind of the registry at each of its versions. */
export const SERVED: readonly ServedResource[] = ALL_KINDS.filter(isServed).flatMap((info) =>
  info.versions.map((version) => served(info, version)),
);

function served(info: KindInfo, version: string): ServedResource {
  return {
    group: info.group,
    version,
    resource: info.plural,
    singular: info.singular,
    kind: info.kind,
    namespaced: info.namespaced,
    verbs: info.synthesized === true ? READ_ONLY : READ_WRITE,
    shortNames: info.shortNames,
    categories: info.categories,
    type: ResourceTypes[info.kind as KnownKind],
    info,
    ...(info.synthesized === true ? { synthesized: true } : {}),
  };
}

/** The served resource at a group/version, or undefined. */
export function findServed(group: string, version: string, resource: string): ServedResource | undefined {
  return SERVED.find((s) => s.group === group && s.version === version && s.resource === resource);
}

/** Resources served at a group/version. */
export function servedAt(group: string, version: string): ServedResource[] {
  return SERVED.filter((s) => s.group === group && s.version === version);
}

/** `tekton.dev/v1beta1`, or `v1` for the core group. */
export function servedApiVersion(s: Pick<ServedResource, "group" | "version">): string {
  return apiVersionString(s.group, s.version);
}

/** `taskruns.tekton.dev` or `configmaps`, as in Kubernetes error messages. */
export function qualifiedResource(s: Pick<ServedResource, "group" | "resource">): string {
  return s.group === "" ? s.resource : `${s.resource}.${s.group}`;
}

/** Whether a served resource accepts writes. */
export function isWritable(s: ServedResource): boolean {
  return s.synthesized !== true;
}

/** Types stored in a namespace, each once (several served versions share a stored type). */
export function namespacedTypes(): ResourceType[] {
  return [...new Set(SERVED.filter((s) => s.namespaced && !s.synthesized).map((s) => s.type))];
}
