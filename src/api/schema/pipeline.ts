/**
 * Schemas of a Pipeline's and a PipelineRun's spec, for one Tekton API package (v1, v1beta1).
 *
 * @module
 */
import { Recursive as RecursiveType, type TThis } from "@sinclair/typebox";
import { ResourceRequirementsSchema } from "./core.js";
import {
  always,
  bool,
  duration,
  int,
  list,
  onlyIn,
  opaque,
  paramValue,
  raw,
  str,
  stringMap,
  strings,
  struct,
} from "./dsl.js";
import { PodTemplateSchema, workspaceBindingSchema } from "./runs.js";
import { paramSchemas, taskSpecFields, whenSchema, type TektonPackage } from "./task.js";

function taskRunSpecFields(pkg: TektonPackage) {
  const step = <F extends string>(goName: string, field: F) =>
    struct(pkg, goName, {
      name: always(str("Name of the step or sidecar.")),
      ...({ [field]: ResourceRequirementsSchema } as Record<F, typeof ResourceRequirementsSchema>),
    });
  return {
    ...onlyIn(pkg === "v1", {
      serviceAccountName: str("Service account of this task's TaskRun."),
      podTemplate: PodTemplateSchema,
      stepSpecs: list(
        step("TaskRunStepSpec", "computeResources"),
        "[]v1.TaskRunStepSpec",
        "Per-step resources.",
      ),
      sidecarSpecs: list(
        step("TaskRunSidecarSpec", "computeResources"),
        "[]v1.TaskRunSidecarSpec",
        "Per-sidecar resources.",
      ),
    }),
    ...onlyIn(pkg === "v1beta1", {
      taskServiceAccountName: str("Service account of this task's TaskRun."),
      taskPodTemplate: PodTemplateSchema,
      stepOverrides: list(
        step("TaskRunStepOverride", "resources"),
        "[]v1beta1.TaskRunStepOverride",
        "Per-step resources.",
      ),
      sidecarOverrides: list(
        step("TaskRunSidecarOverride", "resources"),
        "[]v1beta1.TaskRunSidecarOverride",
        "Per-sidecar resources.",
      ),
    }),
  };
}

/** A Pipeline's spec of one package (recursive: a pipeline task may embed a `pipelineSpec`). */
export function pipelineSpecSchema(pkg: TektonPackage) {
  return RecursiveType((self) => pipelineSpecOf(pkg, self));
}

function pipelineSpecOf(pkg: TektonPackage, self: TThis) {
  const { ParamSpec, params, TaskRef, resolverRef } = paramSchemas(pkg);
  const metadata = struct(pkg, "PipelineTaskMetadata", {
    labels: stringMap("Labels set on the TaskRun."),
    annotations: stringMap("Annotations set on the TaskRun."),
  });
  const EmbeddedTask = struct(
    pkg,
    "EmbeddedTask",
    {
      apiVersion: str("apiVersion of an embedded custom task."),
      kind: str("Kind of an embedded custom task."),
      spec: raw("An embedded custom task's spec."),
      metadata,
      ...taskSpecFields(pkg),
    },
    "A Task spec written inside the Pipeline.",
  );
  const PipelineRef = struct(pkg, "PipelineRef", {
    name: str("Name of the referenced Pipeline."),
    apiVersion: str(),
    ...onlyIn(pkg === "v1beta1", { bundle: str("OCI bundle holding the Pipeline (deprecated).") }),
    ...resolverRef,
  });
  const Matrix = struct(pkg, "Matrix", {
    params: list(
      struct(pkg, "Param", { name: str(), value: paramValue(pkg) }),
      `${pkg}.Params`,
      "Params fanned out.",
    ),
    include: list(
      struct(pkg, "IncludeParams", { name: str(), params }),
      `${pkg}.IncludeParamsList`,
      "Extra combinations.",
    ),
  });
  const WorkspacePipelineTaskBinding = struct(pkg, "WorkspacePipelineTaskBinding", {
    name: always(str("The Task's workspace.")),
    workspace: str("The Pipeline's workspace bound to it."),
    subPath: str("Directory inside the workspace."),
  });
  const when = list(whenSchema(pkg), `${pkg}.WhenExpressions`, "Conditions for running the task.");
  const taskFields = {
    name: str("Name of the task in the Pipeline."),
    displayName: str("Name shown to people."),
    description: str("What the task does."),
    taskRef: TaskRef,
    taskSpec: EmbeddedTask,
    when,
    retries: int("Retries of a failed TaskRun."),
    runAfter: strings("Tasks that must finish first."),
    ...onlyIn(pkg === "v1beta1", {
      resources: opaque("v1beta1.PipelineTaskResources", "Removed PipelineResources."),
    }),
    params,
    matrix: Matrix,
    workspaces: list(
      WorkspacePipelineTaskBinding,
      `[]${pkg}.WorkspacePipelineTaskBinding`,
      "Workspace bindings.",
    ),
    timeout: duration("Longest time the task may take."),
    pipelineRef: PipelineRef,
    pipelineSpec: self,
    onError: str("continue or stopAndFail.", `${pkg}.PipelineTaskOnErrorType`),
  };
  const PipelineTask = struct(pkg, "PipelineTask", taskFields, "A task of the Pipeline.");
  const PipelineResult = struct(pkg, "PipelineResult", {
    name: always(str("Name of the result.")),
    type: str("string, array or object.", `${pkg}.ResultsType`),
    description: str("What the result holds."),
    value: paramValue(pkg, "Where the value comes from: tasks' results."),
  });
  const PipelineWorkspaceDeclaration = struct(pkg, "PipelineWorkspaceDeclaration", {
    name: always(str("Name of the workspace.")),
    description: str("What it is for."),
    optional: bool("Whether a PipelineRun may leave it out."),
  });
  return struct(
    pkg,
    "PipelineSpec",
    {
      displayName: str("Name shown to people."),
      description: str("What the Pipeline does."),
      ...onlyIn(pkg === "v1beta1", {
        resources: list(
          opaque("v1beta1.PipelineDeclaredResource"),
          "[]v1beta1.PipelineDeclaredResource",
          "Removed.",
        ),
      }),
      tasks: list(PipelineTask, `[]${pkg}.PipelineTask`, "Tasks of the Pipeline."),
      params: list(ParamSpec, `${pkg}.ParamSpecs`, "Params the Pipeline accepts."),
      workspaces: list(
        PipelineWorkspaceDeclaration,
        `[]${pkg}.PipelineWorkspaceDeclaration`,
        "Workspaces it needs.",
      ),
      results: list(PipelineResult, `[]${pkg}.PipelineResult`, "Results it produces."),
      finally: list(PipelineTask, `[]${pkg}.PipelineTask`, "Tasks run after all others."),
    },
    "A graph of tasks with params, workspaces and results.",
  );
}

/** A PipelineRun's spec of one package. */
export function pipelineRunSpecSchema(pkg: TektonPackage) {
  const { params } = paramSchemas(pkg);
  const PipelineRef = struct(pkg, "PipelineRef", {
    name: str("Name of the referenced Pipeline."),
    apiVersion: str(),
    ...onlyIn(pkg === "v1beta1", { bundle: str("OCI bundle holding the Pipeline (deprecated).") }),
    ...paramSchemas(pkg).resolverRef,
  });
  const TimeoutFields = struct(pkg, "TimeoutFields", {
    pipeline: duration("Longest time the whole PipelineRun may take."),
    tasks: duration("Longest time the tasks (without finally) may take."),
    finally: duration("Longest time the finally tasks may take."),
  });
  const PipelineTaskRunSpec = struct(pkg, "PipelineTaskRunSpec", {
    pipelineTaskName: str("The pipeline task these settings are for."),
    ...taskRunSpecFields(pkg),
    metadata: struct(pkg, "PipelineTaskMetadata", { labels: stringMap(), annotations: stringMap() }),
    computeResources: ResourceRequirementsSchema,
    timeout: duration("Timeout of this task's TaskRun."),
  });
  const versioned = {
    ...onlyIn(pkg === "v1", {
      taskRunTemplate: struct(pkg, "PipelineTaskRunTemplate", {
        podTemplate: PodTemplateSchema,
        serviceAccountName: str("Service account of every TaskRun."),
      }),
    }),
    ...onlyIn(pkg === "v1beta1", {
      resources: list(
        opaque("v1beta1.PipelineResourceBinding"),
        "[]v1beta1.PipelineResourceBinding",
        "Removed.",
      ),
      serviceAccountName: str("Service account of every TaskRun."),
      timeout: duration("Deprecated: use timeouts.pipeline."),
      podTemplate: PodTemplateSchema,
    }),
  };
  return struct(
    pkg,
    "PipelineRunSpec",
    {
      pipelineRef: PipelineRef,
      pipelineSpec: pipelineSpecSchema(pkg),
      params,
      status: str(
        "Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending.",
        `${pkg}.PipelineRunSpecStatus`,
      ),
      timeouts: TimeoutFields,
      workspaces: list(
        workspaceBindingSchema(pkg),
        `[]${pkg}.WorkspaceBinding`,
        "Volumes for the workspaces.",
      ),
      taskRunSpecs: list(PipelineTaskRunSpec, `[]${pkg}.PipelineTaskRunSpec`, "Settings per pipeline task."),
      managedBy: str("Controller that manages this run instead of Tekton's."),
      ...versioned,
    },
    "A run of a Pipeline.",
  );
}
