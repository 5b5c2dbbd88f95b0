/**
 * Pipeline and PipelineRun as they appear on the wire, in their tekton.dev/v1 storage shape
 * (`pkg/apis/pipeline/v1/pipeline_types.go`, `pipelinerun_types.go`). v1beta1 input is converted
 * to this shape by the API's conversion.
 *
 * @module
 */

import type {
  Condition,
  KubeObject,
  Param,
  ParamSpec,
  ParamType,
  ParamValue,
  PodTemplate,
  ResourceRequirements,
  TaskRef,
  TaskRunStepSpec,
  TaskSpec,
  WhenExpression,
  WorkspaceBinding,
} from "./types.js";

// ---------------------------------------------------------------------------
// Pipeline

/** A pipeline-level workspace (`PipelineWorkspaceDeclaration`). */
export interface PipelineWorkspaceDeclaration {
  name: string;
  description?: string;
  optional?: boolean;
}

/** How a pipeline task binds one of its Task's workspaces to a pipeline workspace. */
export interface WorkspacePipelineTaskBinding {
  /** The Task's workspace name. */
  name: string;
  /** The pipeline workspace; defaults to {@link name} (propagated workspaces). */
  workspace?: string;
  subPath?: string;
}

/** A pipeline result (`PipelineResult`): a value built from task results. */
export interface PipelineResult {
  name: string;
  type?: ParamType;
  description?: string;
  value: ParamValue;
}

/** One `matrix.include` entry: an extra combination with a name. */
export interface IncludeParams {
  name?: string;
  params?: Param[];
}

/** A pipeline task's fan-out (`Matrix`, beta). */
export interface Matrix {
  params?: Param[];
  include?: IncludeParams[];
}

/**
 * An embedded task (`EmbeddedTask`): a TaskSpec, or — with a non-Tekton `apiVersion`/`kind` — the
 * spec of a custom task, passed to the CustomRun as `customSpec`.
 */
export interface EmbeddedTask extends TaskSpec {
  apiVersion?: string;
  kind?: string;
  /** A custom task's own spec (custom tasks only). */
  spec?: Record<string, unknown>;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** A reference to a Pipeline (`PipelineRef`): by name in the namespace, or through a resolver. */
export interface PipelineRef {
  name?: string;
  apiVersion?: string;
  resolver?: string;
  params?: Param[];
}

/** `onError` of a pipeline task (`PipelineTaskOnErrorType`). */
export const PipelineTaskOnError = {
  StopAndFail: "stopAndFail",
  Continue: "continue",
} as const;
export type PipelineTaskOnError = (typeof PipelineTaskOnError)[keyof typeof PipelineTaskOnError];

/** One node of a pipeline's graph (`PipelineTask`); the same shape serves `tasks` and `finally`. */
export interface PipelineTask {
  name: string;
  displayName?: string;
  description?: string;
  taskRef?: TaskRef;
  taskSpec?: EmbeddedTask;
  when?: WhenExpression[];
  retries?: number;
  runAfter?: string[];
  params?: Param[];
  matrix?: Matrix;
  workspaces?: WorkspacePipelineTaskBinding[];
  timeout?: string;
  /** Pipelines in pipelines (alpha). */
  pipelineRef?: PipelineRef;
  /** Pipelines in pipelines (alpha). */
  pipelineSpec?: PipelineSpec;
  onError?: PipelineTaskOnError | string;
}

export interface PipelineSpec {
  displayName?: string;
  description?: string;
  tasks?: PipelineTask[];
  params?: ParamSpec[];
  workspaces?: PipelineWorkspaceDeclaration[];
  results?: PipelineResult[];
  finally?: PipelineTask[];
}

export interface Pipeline extends KubeObject {
  kind: "Pipeline";
  spec: PipelineSpec;
}

// ---------------------------------------------------------------------------
// PipelineRun

/** `spec.status` values of a PipelineRun (`PipelineRunSpecStatus`). */
export const PipelineRunSpecStatus = {
  /** Stop now: cancel running children, run no finally tasks. */
  Cancelled: "Cancelled",
  /** Cancel running children, then run the finally tasks. */
  CancelledRunFinally: "CancelledRunFinally",
  /** Start no new task, let running ones finish, then run the finally tasks. */
  StoppedRunFinally: "StoppedRunFinally",
  /** Do not start yet. */
  Pending: "PipelineRunPending",
} as const;
export type PipelineRunSpecStatus = (typeof PipelineRunSpecStatus)[keyof typeof PipelineRunSpecStatus];

/** `spec.timeouts`: Go durations; `tasks` + `finally` must fit in `pipeline`. */
export interface TimeoutFields {
  pipeline?: string;
  tasks?: string;
  finally?: string;
}

/** `spec.taskRunTemplate`: what every child TaskRun gets unless `taskRunSpecs` says otherwise. */
export interface PipelineTaskRunTemplate {
  podTemplate?: PodTemplate;
  serviceAccountName?: string;
}

/** `spec.taskRunSpecs[]`: run settings for the children of one pipeline task. */
export interface PipelineTaskRunSpec {
  pipelineTaskName: string;
  serviceAccountName?: string;
  podTemplate?: PodTemplate;
  stepSpecs?: TaskRunStepSpec[];
  sidecarSpecs?: TaskRunStepSpec[];
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  computeResources?: ResourceRequirements;
  /** Overrides the Task's timeout; `spec.timeouts.tasks` takes precedence. */
  timeout?: string;
}

export interface PipelineRunSpec {
  pipelineRef?: PipelineRef;
  pipelineSpec?: PipelineSpec;
  params?: Param[];
  /** One of {@link PipelineRunSpecStatus}, or unset. */
  status?: PipelineRunSpecStatus | string;
  timeouts?: TimeoutFields;
  taskRunTemplate?: PipelineTaskRunTemplate;
  workspaces?: WorkspaceBinding[];
  taskRunSpecs?: PipelineTaskRunSpec[];
  managedBy?: string;
}

/** A resolved pipeline result (`PipelineRunResult`). */
export interface PipelineRunResult {
  name: string;
  value: ParamValue;
}

/** A pipeline task that did not run (`SkippedTask`); `reason` is one of Tekton's `SkippingReason`s. */
export interface SkippedTask {
  name: string;
  reason: string;
  whenExpressions?: WhenExpression[];
}

/** `status.childReferences[]`: one child TaskRun, CustomRun, Run or PipelineRun. */
export interface ChildStatusReference {
  apiVersion: string;
  kind: string;
  name: string;
  displayName?: string;
  pipelineTaskName: string;
  whenExpressions?: WhenExpression[];
}

export interface PipelineRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  startTime?: string;
  completionTime?: string;
  results?: PipelineRunResult[];
  /** The resolved spec the run executes, stored on first reconcile. */
  pipelineSpec?: PipelineSpec;
  skippedTasks?: SkippedTask[];
  childReferences?: ChildStatusReference[];
  finallyStartTime?: string;
  provenance?: Record<string, unknown>;
  spanContext?: Record<string, string>;
}

export interface PipelineRun extends KubeObject {
  kind: "PipelineRun";
  spec: PipelineRunSpec;
  status?: PipelineRunStatus;
}
