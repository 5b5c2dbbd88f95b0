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
  /** Objects are synthesized (pods): read-only, not stored. */
  readonly synthesized?: boolean;
}

const TEKTON_CATEGORIES = ["tekton", "tekton-pipelines"] as const;

function tekton(
  version: string,
  type: ResourceType,
  singular: string,
  shortNames: readonly string[],
): ServedResource {
  return {
    group: "tekton.dev",
    version,
    resource: type.resource,
    singular,
    kind: type.kind,
    namespaced: true,
    verbs: READ_WRITE,
    shortNames,
    categories: TEKTON_CATEGORIES,
    type,
  };
}

function core(
  type: ResourceType,
  singular: string,
  shortNames: readonly string[] = [],
  readOnly = false,
): ServedResource {
  return {
    group: "",
    version: "v1",
    resource: type.resource,
    singular,
    kind: type.kind,
    namespaced: type.namespaced,
    verbs: readOnly ? READ_ONLY : READ_WRITE,
    shortNames,
    categories: [],
    type,
    ...(readOnly ? { synthesized: true } : {}),
  };
}

/** Everything served, in discovery order. */
export const SERVED: readonly ServedResource[] = [
  tekton("v1", ResourceTypes.Task, "task", []),
  tekton("v1", ResourceTypes.TaskRun, "taskrun", ["tr", "trs"]),
  tekton("v1", ResourceTypes.Pipeline, "pipeline", []),
  tekton("v1", ResourceTypes.PipelineRun, "pipelinerun", ["pr", "prs"]),
  tekton("v1beta1", ResourceTypes.Task, "task", []),
  tekton("v1beta1", ResourceTypes.TaskRun, "taskrun", ["tr", "trs"]),
  tekton("v1beta1", ResourceTypes.Pipeline, "pipeline", []),
  tekton("v1beta1", ResourceTypes.PipelineRun, "pipelinerun", ["pr", "prs"]),
  tekton("v1beta1", ResourceTypes.CustomRun, "customrun", []),
  tekton("v1beta1", ResourceTypes.StepAction, "stepaction", []),
  tekton("v1alpha1", ResourceTypes.Run, "run", []),
  tekton("v1alpha1", ResourceTypes.StepAction, "stepaction", []),
  core(ResourceTypes.Namespace, "namespace", ["ns"]),
  core(ResourceTypes.ConfigMap, "configmap", ["cm"]),
  core(ResourceTypes.Secret, "secret"),
  core(ResourceTypes.ServiceAccount, "serviceaccount", ["sa"]),
  core(ResourceTypes.PersistentVolumeClaim, "persistentvolumeclaim", ["pvc"]),
  core(ResourceTypes.Event, "event", ["ev"]),
  core(ResourceTypes.Pod, "pod", ["po"], true),
];

/** Versions of the tekton.dev group, preferred first. */
export const TEKTON_VERSIONS = ["v1", "v1beta1", "v1alpha1"] as const;

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
  return s.group === "" ? s.version : `${s.group}/${s.version}`;
}

/** `taskruns.tekton.dev` or `configmaps`, as in Kubernetes error messages. */
export function qualifiedResource(s: Pick<ServedResource, "group" | "resource">): string {
  return s.group === "" ? s.resource : `${s.resource}.${s.group}`;
}

/** Whether a served resource accepts writes. */
export function isWritable(s: ServedResource): boolean {
  return s.synthesized !== true;
}
