/**
 * Typed TaskRun failures decided by the reconciler (before or around the steps; a failing step's
 * own outcome is computed in `finish.ts`): a small set of kinds with their data, raised where they
 * happen, and one exhaustive function, {@link failureCondition}, that turns a failure into the
 * condition's reason and Tekton's message. {@link toFailureCondition} maps the error classes of
 * other layers onto these kinds.
 */
import { TaskRunReason } from "../../api/reasons.js";
import { ContainerConfigError } from "./env.js";
import { userError } from "./status.js";
import { PathEscapeError } from "./volumes.js";
import { StepActionResolutionError } from "../substitution/index.js";
import { ResolutionError, ResolvedResourceInvalidError } from "../resolution/errors.js";

export const FailureKind = {
  Resolution: "resolution",
  Validation: "validation",
  InvalidParamValue: "invalidParamValue",
  TaskValidation: "taskValidation",
  ContainerConfig: "containerConfig",
  PodCreation: "podCreation",
  /** The tektite process running the attempt stopped before its steps finished. */
  Interrupted: "interrupted",
  /** Something nothing anticipated (a bug, a full disk). */
  Internal: "internal",
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/** A failure found while resolving, validating or preparing a TaskRun before any step runs. */
export class RunPreparationError extends Error {
  override readonly name = "RunPreparationError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** For container errors: `step "x"` or `sidecar "y"`. */
    readonly who?: string,
  ) {
    super(message);
  }
}

export interface FailureCondition {
  reason: string;
  message: string;
}

/** The condition a preparation failure produces (docs/tekton-semantics.md#taskrun-status, #runtime-validation). */
export function failureCondition(
  err: RunPreparationError,
  taskRunName: string,
  stepOrSidecar?: string,
): FailureCondition {
  switch (err.kind) {
    case FailureKind.Resolution:
      return { reason: TaskRunReason.FailedResolution, message: err.message };
    case FailureKind.Validation:
      return { reason: TaskRunReason.FailedValidation, message: userError(err.message) };
    case FailureKind.InvalidParamValue:
      return { reason: TaskRunReason.InvalidParamValue, message: userError(err.message) };
    case FailureKind.TaskValidation:
      return { reason: TaskRunReason.TaskFailedValidation, message: err.message };
    case FailureKind.ContainerConfig:
      return {
        reason: TaskRunReason.CreateContainerConfigError,
        message: `the ${stepOrSidecar ?? "step"} in TaskRun "${taskRunName}" failed to start. The pod errored with the message: "${err.message}."`,
      };
    case FailureKind.PodCreation:
      return { reason: TaskRunReason.PodCreationFailed, message: err.message };
    case FailureKind.Interrupted:
      return {
        reason: TaskRunReason.Failed,
        message: `TaskRun "${taskRunName}" was interrupted: the tektite process running pod "${err.message}" stopped before its steps finished`,
      };
    case FailureKind.Internal:
      return {
        reason: TaskRunReason.Failed,
        message: `TaskRun "${taskRunName}" failed: internal error: ${err.message}`,
      };
  }
}

/** A failure of `kind` with its message (for Interrupted: the pod name). */
export function failure(kind: FailureKind, message: string): RunPreparationError {
  return new RunPreparationError(kind, message);
}

/**
 * Any error raised while preparing a run, as the condition it produces; undefined for errors that
 * are not the run's fault (they propagate and are reported as engine errors).
 */
export function toFailureCondition(err: unknown, taskRunName: string): FailureCondition | undefined {
  if (err instanceof RunPreparationError) return failureCondition(err, taskRunName, err.who);
  if (err instanceof ContainerConfigError) {
    return failureCondition(
      new RunPreparationError(FailureKind.ContainerConfig, err.message, err.who),
      taskRunName,
      err.who,
    );
  }
  if (err instanceof PathEscapeError) {
    return { reason: TaskRunReason.FailedValidation, message: userError(err.message) };
  }
  if (err instanceof StepActionResolutionError || err instanceof ResolutionError) {
    return { reason: TaskRunReason.FailedResolution, message: err.message };
  }
  if (err instanceof ResolvedResourceInvalidError) {
    return { reason: TaskRunReason.TaskFailedValidation, message: err.message };
  }
  return undefined;
}
