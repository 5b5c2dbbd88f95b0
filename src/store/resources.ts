/**
 * Well-known resource types served by tektite.
 *
 * @module
 */

import type { ResourceType } from "./store.js";

function tekton(version: string, resource: string, kind: string): ResourceType {
  return { group: "tekton.dev", version, resource, kind, namespaced: true, statusSubresource: true };
}

function core(
  resource: string,
  kind: string,
  opts: { namespaced?: boolean; statusSubresource?: boolean; selectableFields?: readonly string[] } = {},
): ResourceType {
  const { namespaced = true, statusSubresource = false, selectableFields } = opts;
  return {
    group: "",
    version: "v1",
    resource,
    kind,
    namespaced,
    statusSubresource,
    ...(selectableFields ? { selectableFields } : {}),
  };
}

const eventFields = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
] as const;

const podFields = [
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.schedulerName",
  "spec.serviceAccountName",
  "status.phase",
  "status.podIP",
] as const;

/** The resource types tektite knows, keyed by kind. Tekton kinds use their storage version. */
export const ResourceTypes = {
  Task: tekton("v1", "tasks", "Task"),
  TaskRun: tekton("v1", "taskruns", "TaskRun"),
  Pipeline: tekton("v1", "pipelines", "Pipeline"),
  PipelineRun: tekton("v1", "pipelineruns", "PipelineRun"),
  StepAction: tekton("v1beta1", "stepactions", "StepAction"),
  CustomRun: tekton("v1beta1", "customruns", "CustomRun"),
  Run: tekton("v1alpha1", "runs", "Run"),
  ConfigMap: core("configmaps", "ConfigMap"),
  Secret: core("secrets", "Secret", { selectableFields: ["type"] }),
  ServiceAccount: core("serviceaccounts", "ServiceAccount"),
  PersistentVolumeClaim: core("persistentvolumeclaims", "PersistentVolumeClaim", { statusSubresource: true }),
  Pod: core("pods", "Pod", { statusSubresource: true, selectableFields: podFields }),
  Event: core("events", "Event", { selectableFields: eventFields }),
  Namespace: core("namespaces", "Namespace", {
    namespaced: false,
    statusSubresource: true,
    selectableFields: ["status.phase"],
  }),
} as const satisfies Record<string, ResourceType>;

/** Finds a well-known type by plural resource name and group (`"taskruns"`, `"tekton.dev"`). */
export function findResourceType(group: string, resource: string): ResourceType | undefined {
  return Object.values(ResourceTypes).find((t) => t.group === group && t.resource === resource);
}
