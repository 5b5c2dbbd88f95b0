/**
 * Schemas of the run kinds' specs — TaskRun (v1, v1beta1), CustomRun (v1beta1), Run (v1alpha1) —
 * and of what they share: workspace bindings and the pod template.
 *
 * @module
 */
import {
  ConfigMapVolumeSchema,
  CsiVolumeSchema,
  EmptyDirSchema,
  EnvVarSchema,
  HostAliasSchema,
  LocalObjectReferenceSchema,
  PodSecurityContextSchema,
  ProjectedVolumeSchema,
  PvcTemplateSchema,
  PvcVolumeSchema,
  ResourceRequirementsSchema,
  SecretVolumeSchema,
  SecurityContextSchema,
  VolumeMountSchema,
  VolumeSchema,
} from "./core.js";
import {
  always,
  bool,
  duration,
  int,
  list,
  onlyIn,
  opaque,
  raw,
  str,
  stringMap,
  strings,
  struct,
} from "./dsl.js";
import { paramSchemas, taskSpecSchema, type TektonPackage } from "./task.js";

/** Tekton's pod template (`pod.Template`), applied to the pod of a run. */
export const PodTemplateSchema = struct(
  "pod",
  "Template",
  {
    nodeSelector: stringMap("Node labels the pod must run on."),
    env: list(EnvVarSchema, "[]v1.EnvVar", "Environment variables added to every container."),
    tolerations: list(opaque("v1.Toleration"), "[]v1.Toleration", "Taints the pod tolerates."),
    affinity: opaque("v1.Affinity", "Scheduling constraints."),
    securityContext: PodSecurityContextSchema,
    volumes: list(VolumeSchema, "pod.Volumes", "Volumes added to the pod."),
    runtimeClassName: str("RuntimeClass the pod runs with."),
    automountServiceAccountToken: bool("Whether the service account token is mounted."),
    dnsPolicy: str("DNS policy of the pod.", "v1.DNSPolicy"),
    dnsConfig: opaque("v1.PodDNSConfig", "DNS settings of the pod."),
    enableServiceLinks: bool("Whether service environment variables are injected."),
    priorityClassName: str("PriorityClass of the pod."),
    schedulerName: str("Scheduler that places the pod."),
    imagePullSecrets: list(
      LocalObjectReferenceSchema,
      "[]v1.LocalObjectReference",
      "Secrets for pulling images.",
    ),
    hostAliases: list(HostAliasSchema, "[]v1.HostAlias", "Entries added to /etc/hosts."),
    hostNetwork: bool("Use the host's network namespace."),
    hostUsers: bool("Use the host's user namespace."),
    topologySpreadConstraints: list(
      opaque("v1.TopologySpreadConstraint"),
      "[]v1.TopologySpreadConstraint",
      "How pods spread across topology domains.",
    ),
  },
  "Pod settings for the pod that runs a Task.",
);

/** How a run binds a declared workspace. */
export function workspaceBindingSchema(pkg: TektonPackage) {
  return struct(
    pkg,
    "WorkspaceBinding",
    {
      name: always(str("Name of the declared workspace.")),
      subPath: str("Directory inside the volume to use instead of its root."),
      volumeClaimTemplate: PvcTemplateSchema,
      persistentVolumeClaim: PvcVolumeSchema,
      emptyDir: EmptyDirSchema,
      configMap: ConfigMapVolumeSchema,
      secret: SecretVolumeSchema,
      projected: ProjectedVolumeSchema,
      csi: CsiVolumeSchema,
    },
    "The volume that backs a declared workspace.",
  );
}

function resourceOverride<F extends "computeResources" | "resources">(
  pkg: TektonPackage,
  goName: string,
  field: F,
) {
  const resources = { [field]: ResourceRequirementsSchema } as Record<F, typeof ResourceRequirementsSchema>;
  return struct(pkg, goName, { name: always(str("Name of the step or sidecar.")), ...resources });
}

/** A TaskRun's spec of one package. */
export function taskRunSpecSchema(pkg: TektonPackage) {
  const { params, TaskRef } = paramSchemas(pkg);
  const overrides = {
    ...onlyIn(pkg === "v1", {
      stepSpecs: list(
        resourceOverride(pkg, "TaskRunStepSpec", "computeResources"),
        "[]v1.TaskRunStepSpec",
        "Compute resources per step.",
      ),
      sidecarSpecs: list(
        resourceOverride(pkg, "TaskRunSidecarSpec", "computeResources"),
        "[]v1.TaskRunSidecarSpec",
        "Compute resources per sidecar.",
      ),
    }),
    ...onlyIn(pkg === "v1beta1", {
      resources: opaque("v1beta1.TaskRunResources", "Removed PipelineResources."),
      stepOverrides: list(
        resourceOverride(pkg, "TaskRunStepOverride", "resources"),
        "[]v1beta1.TaskRunStepOverride",
        "Compute resources per step.",
      ),
      sidecarOverrides: list(
        resourceOverride(pkg, "TaskRunSidecarOverride", "resources"),
        "[]v1beta1.TaskRunSidecarOverride",
        "Compute resources per sidecar.",
      ),
    }),
  };
  return struct(
    pkg,
    "TaskRunSpec",
    {
      debug: struct(
        pkg,
        "TaskRunDebug",
        {
          breakpoints: struct(
            pkg,
            "TaskBreakpoints",
            {
              onFailure: str("enabled: keep the pod of a failed step for debugging."),
              beforeSteps: strings("Steps to pause before."),
            },
            "Where the run stops for debugging.",
          ),
        },
        "Debugging options.",
      ),
      params,
      serviceAccountName: str("Service account the pod runs as."),
      taskRef: TaskRef,
      taskSpec: taskSpecSchema(pkg),
      status: str("TaskRunCancelled cancels the run; TaskRunPending holds it.", `${pkg}.TaskRunSpecStatus`),
      statusMessage: str("Why the status was set.", `${pkg}.TaskRunSpecStatusMessage`),
      retries: int("How many times a failed run is retried."),
      timeout: duration("Longest time the run may take (Go duration; 0 means no limit)."),
      podTemplate: PodTemplateSchema,
      workspaces: list(
        workspaceBindingSchema(pkg),
        `[]${pkg}.WorkspaceBinding`,
        "Volumes for the Task's workspaces.",
      ),
      ...overrides,
      computeResources: ResourceRequirementsSchema,
      managedBy: str("Controller that manages this run instead of Tekton's."),
    },
    "A run of a Task: which Task, with which params and workspaces.",
  );
}

function embeddedRunSpec(goName: string) {
  const metadata = struct("v1beta1", "PipelineTaskMetadata", {
    labels: stringMap("Labels to set."),
    annotations: stringMap("Annotations to set."),
  });
  return struct("v1beta1", goName, {
    apiVersion: str("apiVersion of the custom task."),
    kind: str("Kind of the custom task."),
    metadata,
    spec: raw("The custom task's own spec, passed on as it is."),
  });
}

const runCommon = (pkg: "v1beta1", statusType: string) => {
  const { params } = paramSchemas(pkg);
  return {
    params,
    status: str("Cancelled (RunCancelled for Run) cancels the run.", statusType),
    statusMessage: str("Why the status was set.", `${statusType}Message`),
    retries: int("How many times a failed run is retried."),
    serviceAccountName: str("Service account the run uses."),
    timeout: duration("Longest time the run may take."),
    workspaces: list(workspaceBindingSchema(pkg), "[]v1beta1.WorkspaceBinding", "Workspace bindings."),
  };
};

/** A CustomRun's spec (v1beta1). */
export function customRunSpecSchema() {
  const { TaskRef } = paramSchemas("v1beta1");
  return struct(
    "v1beta1",
    "CustomRunSpec",
    {
      customRef: TaskRef,
      customSpec: embeddedRunSpec("EmbeddedCustomRunSpec"),
      ...runCommon("v1beta1", "v1beta1.CustomRunSpecStatus"),
    },
    "A run of a custom task, carried out by its controller.",
  );
}

/** A Run's spec (v1alpha1, the custom-task run before CustomRun). */
export function runSpecSchema() {
  const { TaskRef } = paramSchemas("v1beta1");
  return struct(
    "v1alpha1",
    "RunSpec",
    {
      ref: TaskRef,
      spec: embeddedRunSpec("EmbeddedRunSpec"),
      ...runCommon("v1beta1", "v1alpha1.RunSpecStatus"),
      podTemplate: PodTemplateSchema,
    },
    "A run of a custom task (v1alpha1).",
  );
}

/** A StepAction's spec (`pkg`: v1alpha1 or v1beta1). */
export function stepActionSpecSchema(pkg: "v1alpha1" | "v1beta1") {
  const { ParamSpec, StepResult } = paramSchemas("v1");
  return struct(
    pkg,
    "StepActionSpec",
    {
      description: str("What the StepAction does."),
      image: str("Container image."),
      command: strings("Entrypoint."),
      args: strings("Arguments."),
      env: list(EnvVarSchema, "[]v1.EnvVar", "Environment variables."),
      script: str("Script run instead of command."),
      workingDir: str("Working directory."),
      params: list(ParamSpec, "v1.ParamSpecs", "Params the StepAction accepts."),
      results: list(StepResult, "[]v1.StepResult", "Results it produces."),
      securityContext: SecurityContextSchema,
      volumeMounts: list(VolumeMountSchema, "[]v1.VolumeMount", "Volumes mounted."),
    },
    "A reusable step, referenced from a Task's step with ref.",
  );
}
