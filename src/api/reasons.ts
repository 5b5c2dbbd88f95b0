/** Tekton's wire strings for condition reasons, spec statuses and fixed messages (docs/tekton-semantics.md#taskrun-status). */

export const ConditionType = { Succeeded: "Succeeded" } as const;

export const ConditionStatus = { True: "True", False: "False", Unknown: "Unknown" } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

export const TaskRunReason = {
  Started: "Started",
  Running: "Running",
  Successful: "Succeeded",
  Failed: "Failed",
  ToBeRetried: "ToBeRetried",
  Cancelled: "TaskRunCancelled",
  TimedOut: "TaskRunTimeout",
  ResolvingTaskRef: "ResolvingTaskRef",
  ResolvingStepActionRef: "ResolvingStepActionRef",
  ImagePullFailed: "TaskRunImagePullFailed",
  CreateContainerConfigError: "CreateContainerConfigError",
  PodCreationFailed: "PodCreationFailed",
  ResultLargerThanAllowedLimit: "TaskRunResultLargerThanAllowedLimit",
  InvalidParamValue: "InvalidParamValue",
  FailedResolution: "TaskRunResolutionFailed",
  FailedValidation: "TaskRunValidationFailed",
  TaskFailedValidation: "TaskValidationFailed",
  PodEvicted: "PodEvicted",
  StepOOM: "StepOOM",
  StepFailed: "StepFailed",
  SidecarOOM: "SidecarOOM",
  SidecarFailed: "SidecarFailed",
  FailureIgnored: "FailureIgnored",
  Pending: "TaskRunPending",
} as const;
export type TaskRunReason = (typeof TaskRunReason)[keyof typeof TaskRunReason];

/** What Tekton prefixes to a run's message when the failure is the author's (`pkg/apis/pipeline/errors`). */
export const USER_ERROR_PREFIX = "[User error] ";

export const TaskRunMessage = {
  Running: "Not all Steps in the Task have finished executing",
  Succeeded: "All Steps have completed executing",
  CancelledByPipeline: "TaskRun cancelled as the PipelineRun it belongs to has been cancelled.",
  CancelledByPipelineTimeout: "TaskRun cancelled as the PipelineRun it belongs to has timed out.",
} as const;

/** `terminationReason` values on step states. */
export const StepTerminationReason = {
  Completed: "Completed",
  Error: "Error",
  OOMKilled: "OOMKilled",
  /** The container reason Kubernetes gives a container its runtime could not start. */
  StartError: "StartError",
  Continued: "Continued",
  Skipped: "Skipped",
  TimeoutExceeded: "TimeoutExceeded",
  Cancelled: "Cancelled",
} as const;
export type StepTerminationReason = (typeof StepTerminationReason)[keyof typeof StepTerminationReason];

export const CustomRunSpecStatus = { Cancelled: "RunCancelled" } as const;

export const CustomRunReason = {
  Started: "Started",
  Running: "Running",
  Successful: "Succeeded",
  Failed: "Failed",
  Cancelled: "CustomRunCancelled",
  TimedOut: "CustomRunTimedOut",
  WorkspaceNotSupported: "CustomRunWorkspaceNotSupported",
} as const;
export type CustomRunReason = (typeof CustomRunReason)[keyof typeof CustomRunReason];

export const CustomRunMessage = {
  CancelledByPipeline: "CustomRun cancelled as the PipelineRun it belongs to has been cancelled.",
  CancelledByPipelineTimeout: "CustomRun cancelled as the PipelineRun it belongs to has timed out.",
} as const;

export const RunSpecStatus = { Cancelled: "RunCancelled" } as const;

export const RunReason = {
  Started: "Started",
  Running: "Running",
  Successful: "Succeeded",
  Failed: "Failed",
  Cancelled: "RunCancelled",
  TimedOut: "RunTimedOut",
  WorkspaceNotSupported: "RunWorkspaceNotSupported",
  PodTemplateNotSupported: "RunPodTemplateNotSupported",
} as const;
export type RunReason = (typeof RunReason)[keyof typeof RunReason];

export const Defaults = {
  TimeoutMinutes: 60,
} as const;

/** Reasons of a PipelineRun's Succeeded condition. */
export const PipelineRunReason = {
  Started: "Started",
  Running: "Running",
  /** Unknown while a remote `pipelineRef` resolves. */
  ResolvingPipelineRef: "ResolvingPipelineRef",
  /** Unknown while a pipeline task's remote `taskRef` resolves (Tekton uses the TaskRun reason). */
  ResolvingTaskRef: "ResolvingTaskRef",
  Successful: "Succeeded",
  Completed: "Completed",
  Failed: "Failed",
  Cancelled: "Cancelled",
  Pending: "PipelineRunPending",
  TimedOut: "PipelineRunTimeout",
  Stopping: "PipelineRunStopping",
  TimedOutRunningFinally: "PipelineRunTimeoutRunningFinally",
  CancelledRunningFinally: "CancelledRunningFinally",
  StoppedRunningFinally: "StoppedRunningFinally",
  CouldntGetPipeline: "CouldntGetPipeline",
  InvalidWorkspaceBinding: "InvalidWorkspaceBindings",
  InvalidTaskRunSpec: "InvalidTaskRunSpecs",
  ParameterTypeMismatch: "ParameterTypeMismatch",
  ObjectParameterMissKeys: "ObjectParameterMissKeys",
  CouldntGetTask: "CouldntGetTask",
  ParameterMissing: "ParameterMissing",
  FailedValidation: "PipelineValidationFailed",
  CouldntGetPipelineResult: "CouldntGetPipelineResult",
  InvalidGraph: "PipelineInvalidGraph",
  InvalidTaskResultReference: "InvalidTaskResultReference",
  InvalidPipelineResultReference: "InvalidPipelineResultReference",
  RequiredWorkspaceMarkedOptional: "RequiredWorkspaceMarkedOptional",
  CreateRunFailed: "CreateRunFailed",
  CELEvaluationFailed: "CELEvaluationFailed",
} as const;
export type PipelineRunReason = (typeof PipelineRunReason)[keyof typeof PipelineRunReason];

/** Why a pipeline task was skipped (`status.skippedTasks[].reason`). */
export const SkippingReason = {
  WhenExpressions: "When Expressions evaluated to false",
  ParentTasks: "Parent Tasks were skipped",
  Stopping: "PipelineRun was stopping",
  GracefullyCancelled: "PipelineRun was gracefully cancelled",
  GracefullyStopped: "PipelineRun was gracefully stopped",
  MissingResults: "Results were missing",
  PipelineTimedOut: "PipelineRun timeout has been reached",
  TasksTimedOut: "PipelineRun Tasks timeout has been reached",
  FinallyTimedOut: "PipelineRun Finally timeout has been reached",
  EmptyArrayInMatrixParams: "Matrix Parameters have an empty array",
  None: "None",
} as const;
export type SkippingReason = (typeof SkippingReason)[keyof typeof SkippingReason];

/** Labels and annotations Tekton puts on a PipelineRun's children. */
export const PipelineLabel = {
  Pipeline: "tekton.dev/pipeline",
  PipelineRun: "tekton.dev/pipelineRun",
  PipelineRunUid: "tekton.dev/pipelineRunUID",
  PipelineTask: "tekton.dev/pipelineTask",
  MemberOf: "tekton.dev/memberOf",
  OnErrorAnnotation: "pipeline.tekton.dev/pipeline-task-on-error",
} as const;
