/** What an attempt (Tekton's pod) is given to run, and what it reports when it ends. */
import type {
  SidecarState,
  StepResult,
  StepState,
  TaskResult,
  TaskRunResult,
  WhenExpression,
} from "../../api/types.js";
import type { FeatureFlags } from "../../config/features.js";
import type { Executor, PodPlan, ResumedPod, StepPlan } from "../../executors/executor.js";
import type { Clock } from "../clock.js";

export interface PreparedStep {
  /** Status name: the step name, or `unnamed-<i>`. */
  statusName: string;
  /** Directory name under `/tekton/steps`: `step-<name>` or `step-unnamed-<i>`, untruncated. */
  dirName: string;
  /** Container name: the directory name cut to 63 characters. */
  container: string;
  plan: StepPlan;
  onError: "continue" | "stopAndFail";
  results: StepResult[];
  when?: WhenExpression[];
  /** Host directory of `/tekton/run/<i>/status`. */
  statusDir: string;
  /** Host directory of `/tekton/debug/info/<i>` (spec.debug), made when the step starts. */
  debugInfoDir?: string;
  /** Applies runtime (entrypoint) substitutions just before the step starts. */
  resolveAtRuntime?: (
    plan: StepPlan,
    when: WhenExpression[] | undefined,
  ) => {
    plan: StepPlan;
    when: WhenExpression[] | undefined;
    warnings: string[];
  };
}

export interface AttemptInput {
  taskRunName: string;
  pod: PodPlan;
  steps: PreparedStep[];
  /** Sidecar status names in plan order (undefined for an unnamed sidecar, which Tekton leaves out). */
  sidecarStatusNames: Array<string | undefined>;
  /**
   * With `results-from: sidecar-logs`, Tekton adds the `tekton-log-results` sidecar when the task
   * declares results or a step writes artifacts; it ends by itself once the steps are done.
   */
  resultsSidecar?: boolean;
  /** Declared task results that steps write to files (those without `value`). */
  fileResults: TaskResult[];
  /** spec.debug onFailure breakpoint: a failed step halts, and later steps still run (not skipped). */
  breakpointOnFailure?: boolean;
  /** Host directory of `/tekton/results`. */
  resultsDir: string;
  features: FeatureFlags;
  executor: Executor;
  clock: Clock;
  signal: AbortSignal;
  /** Called whenever a step's state changes, with all step states. */
  onProgress?: (steps: StepState[]) => void;
  /** Continue an attempt an earlier process started: adopt its pod and its running step `from`. */
  resume?: { pod: ResumedPod; from: number; states: StepState[] };
}

/**
 * How a result broke its transport's limit: a step's termination message over 4096 bytes (the
 * step fails, its results are lost) or a sidecar-logs line over `max-result-size` (the run fails
 * with `TaskRunResultLargerThanAllowedLimit`).
 */
export type ResultLimitBreach = "terminationMessage" | "sidecarLogLine";

export interface AttemptFailure {
  reason: string;
  message: string;
}

export interface AttemptResult {
  steps: StepState[];
  sidecars: SidecarState[];
  /** Task results read from `/tekton/results` (typed, not yet checked against declarations). */
  results: TaskRunResult[];
  /** Step results by step container name, for `value: $(steps.s.results.r)` task results. */
  /** Step results by the step's directory name (`step-<name>`). */
  stepResults: Map<string, TaskRunResult[]>;
  failure?: AttemptFailure;
  /** True when the attempt ended because its signal fired (cancel or TaskRun timeout). */
  aborted: boolean;
  /** Removal of the attempt's containers, which need not delay the final status. */
  cleanup: Promise<void>;
}
