/**
 * Pipeline and PipelineRun as they appear on the wire, in their tekton.dev/v1 storage shape
 * (`pkg/apis/pipeline/v1/pipeline_types.go`, `pipelinerun_types.go`). v1beta1 input is converted
 * to this shape by the API's conversion. The spec types are derived from the schemas
 * (`schema/pipeline.ts`, built for v1 in `schema/v1.ts`); the schemas do not describe `status`,
 * so the status types here are written by hand.
 *
 * @module
 */

import type { Static } from "@sinclair/typebox";
import type * as Schemas from "./schema/v1.js";
import type { Condition, KubeObject, Param, ParamValue, WhenExpression } from "./types.js";

// ---------------------------------------------------------------------------
// Pipeline

type SchemaPipelineSpec = Static<typeof Schemas.PipelineSpec>;
type SchemaPipelineTask = NonNullable<SchemaPipelineSpec["tasks"]>[number];

/**
 * Derived from the schema (`schema/v1.ts`). Where Go's field is a plain string or value (always
 * there, `""` at worst) and validation rejects a missing one, the type says it is present: the
 * schema keeps `omitempty` so that decoding leaves absent fields absent.
 */
export type PipelineSpec = Omit<SchemaPipelineSpec, "tasks" | "finally" | "results"> & {
  tasks?: PipelineTask[];
  finally?: PipelineTask[];
  results?: PipelineResult[];
};

/** One node of a pipeline's graph (`PipelineTask`); the same shape serves `tasks` and `finally`. */
export type PipelineTask = Omit<SchemaPipelineTask, "name" | "matrix" | "pipelineSpec"> & {
  name: string;
  matrix?: Matrix;
  /** Pipelines in pipelines (alpha). */
  pipelineSpec?: PipelineSpec;
};

/** A pipeline-level workspace (`PipelineWorkspaceDeclaration`). */
export type PipelineWorkspaceDeclaration = NonNullable<SchemaPipelineSpec["workspaces"]>[number];

/** How a pipeline task binds one of its Task's workspaces to a pipeline workspace (`workspace` defaults to `name`). */
export type WorkspacePipelineTaskBinding = NonNullable<SchemaPipelineTask["workspaces"]>[number];

/** A pipeline result (`PipelineResult`): a value built from task results. */
export type PipelineResult = NonNullable<SchemaPipelineSpec["results"]>[number] & { value: ParamValue };

/** A pipeline task's fan-out (`Matrix`, beta). */
export type Matrix = Omit<NonNullable<SchemaPipelineTask["matrix"]>, "params"> & { params?: Param[] };

/** One `matrix.include` entry: an extra combination with a name. */
export type IncludeParams = NonNullable<Matrix["include"]>[number];

/**
 * An embedded task (`EmbeddedTask`): a TaskSpec, or — with a non-Tekton `apiVersion`/`kind` — the
 * spec of a custom task (`spec`), passed to the CustomRun as `customSpec`.
 */
export type EmbeddedTask = NonNullable<SchemaPipelineTask["taskSpec"]>;

/** A reference to a Pipeline (`PipelineRef`): by name in the namespace, or through a resolver. */
export type PipelineRef = NonNullable<SchemaPipelineTask["pipelineRef"]>;

/** `onError` of a pipeline task (`PipelineTaskOnErrorType`). */
export const PipelineTaskOnError = {
  StopAndFail: "stopAndFail",
  Continue: "continue",
} as const;
export type PipelineTaskOnError = (typeof PipelineTaskOnError)[keyof typeof PipelineTaskOnError];

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

type SchemaPipelineRunSpec = Static<typeof Schemas.PipelineRunSpec>;

/** Derived from the schema (`schema/v1.ts`), with the embedded spec as {@link PipelineSpec} says. */
export type PipelineRunSpec = Omit<SchemaPipelineRunSpec, "pipelineSpec" | "taskRunSpecs"> & {
  pipelineSpec?: PipelineSpec;
  taskRunSpecs?: PipelineTaskRunSpec[];
};

/** `spec.timeouts`: Go durations; `tasks` + `finally` must fit in `pipeline`. */
export type TimeoutFields = NonNullable<SchemaPipelineRunSpec["timeouts"]>;

/** `spec.taskRunTemplate`: what every child TaskRun gets unless `taskRunSpecs` says otherwise. */
export type PipelineTaskRunTemplate = NonNullable<SchemaPipelineRunSpec["taskRunTemplate"]>;

/** `spec.taskRunSpecs[]`: run settings for the children of one pipeline task. */
export type PipelineTaskRunSpec = NonNullable<SchemaPipelineRunSpec["taskRunSpecs"]>[number];

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
