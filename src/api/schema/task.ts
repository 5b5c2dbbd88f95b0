/**
 * Schemas of a Task's spec and what it is made of (params, results, steps, sidecars, workspaces),
 * for one Tekton API package: `v1` (storage) or `v1beta1`, whose containers still use `resources`
 * and keep the deprecated container fields.
 *
 * @module
 */
import {
  ContainerPortSchema,
  EnvFromSourceSchema,
  EnvVarSchema,
  LifecycleSchema,
  ProbeSchema,
  ResourceRequirementsSchema,
  SecurityContextSchema,
  VolumeDeviceSchema,
  VolumeMountSchema,
  VolumeSchema,
} from "./core.js";
import {
  always,
  closedSet,
  bool,
  duration,
  list,
  map,
  oneOf,
  onlyIn,
  opaque,
  paramValue,
  str,
  strings,
  struct,
} from "./dsl.js";

/** A Tekton API package whose Go types decode an object. */
export type TektonPackage = "v1" | "v1beta1";

const PARAM_TYPES = ["string", "array", "object"] as const;

/** Params, results and refs of one package. */
export function paramSchemas(pkg: TektonPackage) {
  const PropertySpec = struct(pkg, "PropertySpec", {
    type: closedSet(PARAM_TYPES, "Type of the key (string).", `${pkg}.ParamType`),
  });
  const properties = map(
    PropertySpec,
    `map[string]${pkg}.PropertySpec`,
    "Keys of an object value and their types.",
  );
  const ParamSpec = struct(
    pkg,
    "ParamSpec",
    {
      name: always(str("Name of the param, referenced as $(params.<name>).")),
      type: closedSet(
        PARAM_TYPES,
        "Type of the value: string (default), array or object.",
        `${pkg}.ParamType`,
      ),
      description: str("What the param is for."),
      properties,
      default: paramValue(pkg, "Value used when no value is given."),
      enum: strings("The only values allowed (feature flag enable-param-enum)."),
    },
    "A parameter a Task or Pipeline declares.",
  );
  const Param = struct(
    pkg,
    "Param",
    {
      name: always(str("Name of the declared param this value is for.")),
      value: always(paramValue(pkg, "The value: a string, an array of strings or an object of strings.")),
    },
    "A value given to a declared param.",
  );
  const params = list(Param, `${pkg}.Params`, "Values for the declared params.");
  const ResultsType = `${pkg}.ResultsType`;
  const resultFields = {
    name: always(str("Name of the result.")),
    type: closedSet(PARAM_TYPES, "Type of the result: string (default), array or object.", ResultsType),
    properties,
    description: str("What the result holds."),
  };
  const TaskResult = struct(
    pkg,
    "TaskResult",
    { ...resultFields, value: paramValue(pkg, "Where the value comes from: a step's result.") },
    "A result a Task produces.",
  );
  const StepResult = struct("v1", "StepResult", resultFields, "A result a step produces.");
  const resolverRef = {
    resolver: str(
      "Remote resolver that fetches the resource (git, bundles, hub, cluster, http).",
      `${pkg}.ResolverName`,
    ),
    params,
  };
  const TaskRef = struct(
    pkg,
    "TaskRef",
    {
      name: str("Name of the referenced Task (or custom task)."),
      kind: str("Kind of the referenced object: Task, or a custom task's kind.", `${pkg}.TaskKind`),
      apiVersion: str("apiVersion of a referenced custom task."),
      ...onlyIn(pkg === "v1beta1", { bundle: str("OCI bundle holding the Task (deprecated).") }),
      ...resolverRef,
    },
    "A reference to a Task, a custom task, or a remote resource.",
  );
  return { ParamSpec, Param, params, TaskResult, StepResult, TaskRef, resolverRef, PropertySpec };
}

const WHEN_OPERATORS = ["in", "notin"] as const;

/** `when` expressions of one package. */
export function whenSchema(pkg: TektonPackage) {
  return struct(
    pkg,
    "WhenExpression",
    {
      input: str("Value compared with values."),
      operator: oneOf(WHEN_OPERATORS, "in or notin.", "selection.Operator"),
      values: strings("Values the input is compared with."),
      cel: str("A CEL expression (feature flag enable-cel-in-whenexpression)."),
    },
    "A condition that decides whether something runs.",
  );
}

function containerFields(pkg: TektonPackage) {
  return {
    image: str("Container image that runs the step."),
    command: strings("Entrypoint; the image's ENTRYPOINT when not given."),
    args: strings("Arguments to the entrypoint."),
    workingDir: str("Working directory."),
    envFrom: list(EnvFromSourceSchema, "[]v1.EnvFromSource", "Environment read from ConfigMaps or Secrets."),
    env: list(EnvVarSchema, "[]v1.EnvVar", "Environment variables."),
    ...onlyIn(pkg === "v1", { computeResources: ResourceRequirementsSchema }),
    ...onlyIn(pkg === "v1beta1", { resources: ResourceRequirementsSchema }),
    volumeMounts: list(VolumeMountSchema, "[]v1.VolumeMount", "Volumes mounted into the container."),
    volumeDevices: list(VolumeDeviceSchema, "[]v1.VolumeDevice", "Block devices."),
    imagePullPolicy: oneOf(["Always", "Never", "IfNotPresent"], "When to pull the image.", "v1.PullPolicy"),
    securityContext: SecurityContextSchema,
  };
}

function deprecatedContainerFields(pkg: TektonPackage) {
  return onlyIn(pkg === "v1beta1", {
    ports: list(ContainerPortSchema, "[]v1.ContainerPort", "Deprecated."),
    livenessProbe: ProbeSchema,
    readinessProbe: ProbeSchema,
    startupProbe: ProbeSchema,
    lifecycle: LifecycleSchema,
    terminationMessagePath: str("Deprecated."),
    terminationMessagePolicy: str("Deprecated.", "v1.TerminationMessagePolicy"),
    stdin: bool("Deprecated."),
    stdinOnce: bool("Deprecated."),
    tty: bool("Deprecated."),
  });
}

/** Steps, sidecars and the step template of one package. */
export function containerSchemas(pkg: TektonPackage) {
  const { Param, StepResult, resolverRef } = paramSchemas(pkg);
  const WorkspaceUsage = struct(pkg, "WorkspaceUsage", {
    name: always(str("Name of the Task's workspace.")),
    mountPath: str("Where the workspace is mounted in this container."),
  });
  const workspaces = list(WorkspaceUsage, `[]${pkg}.WorkspaceUsage`, "Workspaces this container may use.");
  const StepOutputConfig = struct(pkg, "StepOutputConfig", {
    path: str("File the stream is also written to."),
  });
  const Ref = struct(
    pkg,
    "Ref",
    { name: str("Name of the referenced StepAction."), ...resolverRef },
    "A reference to a StepAction.",
  );
  const Step = struct(
    pkg,
    "Step",
    {
      name: str("Name of the step, unique in the Task (a DNS label)."),
      displayName: str("Name shown to people."),
      ...containerFields(pkg),
      ...deprecatedContainerFields(pkg),
      script: str("Script run instead of command; a #! line chooses the interpreter."),
      timeout: duration("Longest time the step may run (Go duration: 10m, 1h30m)."),
      workspaces,
      onError: oneOf(["continue", "stopAndFail"], "What a failure of this step does.", `${pkg}.OnErrorType`),
      stdoutConfig: StepOutputConfig,
      stderrConfig: StepOutputConfig,
      ref: Ref,
      params: list(Param, `${pkg}.Params`, "Values for the referenced StepAction's params."),
      results: list(StepResult, "[]v1.StepResult", "Results this step produces."),
      when: list(whenSchema(pkg), `${pkg}.StepWhenExpressions`, "Conditions for running the step."),
    },
    "A container that runs as one step of a Task, in order.",
  );
  const StepTemplate = struct(
    pkg,
    "StepTemplate",
    {
      ...onlyIn(pkg === "v1beta1", { name: str("Deprecated.") }),
      ...containerFields(pkg),
      ...deprecatedContainerFields(pkg),
    },
    "Container fields every step starts from.",
  );
  const Sidecar = struct(
    pkg,
    "Sidecar",
    {
      name: str("Name of the sidecar."),
      ...containerFields(pkg),
      ports: list(ContainerPortSchema, "[]v1.ContainerPort", "Ports the sidecar listens on."),
      livenessProbe: ProbeSchema,
      readinessProbe: ProbeSchema,
      startupProbe: ProbeSchema,
      lifecycle: LifecycleSchema,
      terminationMessagePath: str(),
      terminationMessagePolicy: str(undefined, "v1.TerminationMessagePolicy"),
      stdin: bool(),
      stdinOnce: bool(),
      tty: bool(),
      script: str("Script run instead of command."),
      workspaces,
      restartPolicy: str(undefined, "v1.ContainerRestartPolicy"),
    },
    "A container that runs beside the steps for the whole Task.",
  );
  return { Step, StepTemplate, Sidecar, StepOutputConfig };
}

/** A TaskSpec's fields of one package (shared with a Pipeline's embedded tasks). */
export function taskSpecFields(pkg: TektonPackage) {
  const { ParamSpec, TaskResult } = paramSchemas(pkg);
  const { Step, StepTemplate, Sidecar } = containerSchemas(pkg);
  const WorkspaceDeclaration = workspaceDeclarationSchema(pkg);
  return {
    ...onlyIn(pkg === "v1beta1", {
      resources: opaque("v1beta1.TaskResources", "Removed PipelineResources."),
    }),
    params: list(ParamSpec, `${pkg}.ParamSpecs`, "Params the Task accepts."),
    displayName: str("Name shown to people."),
    description: str("What the Task does."),
    steps: list(Step, `[]${pkg}.Step`, "Containers run one after another."),
    volumes: list(VolumeSchema, `${pkg}.Volumes`, "Volumes the steps and sidecars may mount."),
    stepTemplate: StepTemplate,
    sidecars: list(Sidecar, `[]${pkg}.Sidecar`, "Containers that run beside the steps."),
    workspaces: list(WorkspaceDeclaration, `[]${pkg}.WorkspaceDeclaration`, "Workspaces the Task needs."),
    results: list(TaskResult, `[]${pkg}.TaskResult`, "Results the Task produces."),
  };
}

/** A Task's spec of one package. */
export function taskSpecSchema(pkg: TektonPackage) {
  return struct(
    pkg,
    "TaskSpec",
    taskSpecFields(pkg),
    "What a Task runs: params, steps, workspaces, results.",
  );
}

/** A workspace a Task declares. */
export function workspaceDeclarationSchema(pkg: TektonPackage) {
  return struct(
    pkg,
    "WorkspaceDeclaration",
    {
      name: always(str("Name of the workspace.")),
      description: str("What the workspace is for."),
      mountPath: str("Where it is mounted (default /workspace/<name>)."),
      readOnly: bool("Mount read-only."),
      optional: bool("Whether a TaskRun may leave it out."),
    },
    "A directory the Task needs, bound by its TaskRun.",
  );
}
