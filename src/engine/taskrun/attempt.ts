/**
 * Runs one TaskRun attempt (Tekton's pod) through an executor, doing what Tekton's entrypoint
 * does around each step: strict ordering, skipping after a failure, `when`, onError, step
 * timeouts, exit-code files, result collection and size limits (NOTES §5.3–§5.6).
 */
import { mkdirSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { StepTerminationReason, TaskRunReason } from "../../api/reasons.js";
import type {
  SidecarState,
  StepResult,
  StepState,
  TaskResult,
  TaskRunResult,
  WhenExpression,
} from "../../api/types.js";
import type { FeatureFlags } from "../../config/features.js";
import type {
  ContainerOutcome,
  Executor,
  PodPlan,
  ResumedPod,
  SidecarOutcome,
  StepPlan,
} from "../../executors/executor.js";
import { LOG_FILE_MODE } from "../../executors/process.js";
import { rfc3339 } from "../../api/time.js";
import type { Clock } from "../clock.js";
import {
  MAX_TERMINATION_MESSAGE,
  ResultEntryType,
  renderTerminationMessage,
  terminationMessageSize,
  typedResult,
  type MessageEntry,
} from "./results.js";
import { readResultFile, resultTooLargeMessage, sidecarLogLineSize } from "./result-files.js";

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

/** `when` expressions after substitution: every one must hold (`in` / `notin`). */
export function whenAllows(when: WhenExpression[] | undefined): boolean {
  for (const w of when ?? []) {
    if (w.cel !== undefined) continue; // CEL in step `when` is evaluated by the caller when enabled
    const values = w.values ?? [];
    const hit = values.includes(w.input ?? "");
    if (w.operator === "notin" ? hit : !hit) return false;
  }
  return true;
}

function logLine(path: string, text: string): void {
  appendFileSync(path, text.endsWith("\n") ? text : text + "\n", { mode: LOG_FILE_MODE });
}

function stepFailureMessage(container: string, outcome: ContainerOutcome): AttemptFailure {
  switch (outcome.ended) {
    case "stepTimeout":
      return {
        reason: TaskRunReason.Failed,
        message: `"${container}" exited because the step exceeded the specified timeout limit`,
      };
    case "oomKilled":
      return {
        reason: TaskRunReason.StepOOM,
        message: `"${container}" exited with code ${outcome.exitCode}: OOMKilled`,
      };
    case "startFailed":
    case "exited":
    case "aborted":
    case "imagePullFailed":
      return { reason: TaskRunReason.Failed, message: `"${container}" exited with code ${outcome.exitCode}` };
  }
}

function imagePullFailure(
  taskRunName: string,
  kind: "step" | "sidecar",
  name: string,
  o: ContainerOutcome,
): AttemptFailure {
  return {
    reason: TaskRunReason.ImagePullFailed,
    message: `the ${kind} "${name}" in TaskRun "${taskRunName}" failed to pull the image "${o.imageID ?? ""}". The pod errored with the message: "${o.message ?? ""}."`,
  };
}

/** Runs every step of the attempt and stops its sidecars. Never throws for a step's own failure. */
export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { clock, signal } = input;
  const resume = input.resume;
  const states: StepState[] = input.steps.map((s, i) =>
    resume !== undefined && i < resume.from && resume.states[i] !== undefined
      ? resume.states[i]
      : { name: s.statusName, container: s.container, waiting: { reason: "PodInitializing" } },
  );
  const emit = (): void => input.onProgress?.(states.map((s) => ({ ...s })));
  const stepResults = new Map<string, TaskRunResult[]>();
  let failure: AttemptFailure | undefined;
  let overLimit: ResultLimitBreach | undefined;
  let sidecarOutcomes: SidecarOutcome[] = [];
  const pod = resume?.pod ?? (await input.executor.startPod(input.pod, signal));
  let cleanup: Promise<void> | undefined;
  try {
    try {
      await pod.sidecarsReady(signal);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
    for (const [i, step] of input.steps.entries()) {
      if (signal.aborted) break;
      if (resume !== undefined && i < resume.from) {
        stepResults.set(step.dirName, readStepResults(input, step));
        continue;
      }
      mkdirSync(step.statusDir, { recursive: true });
      if (resume !== undefined && i === resume.from) {
        const outcome = await resume.pod.attachStep(step.plan, signal);
        const started = resume.states[i]?.running?.startedAt;
        if (outcome.ended === "aborted") break;
        const state = finishStep(
          input,
          step,
          started ? { ...outcome, startedAt: new Date(started) } : outcome,
          stepResults,
        );
        states[i] = state.state;
        if (state.failure !== undefined) failure = state.failure;
        overLimit ??= state.overLimit;
        overLimit ??= state.overLimit;
        emit();
        continue;
      }
      if (failure !== undefined && input.breakpointOnFailure !== true) {
        const now = rfc3339(clock.now());
        writeFileSync(join(step.statusDir, "..", "out.err"), "");
        states[i] = {
          name: step.statusName,
          container: step.container,
          terminated: { exitCode: 1, reason: "Error", startedAt: now, finishedAt: now },
          terminationReason: StepTerminationReason.Skipped,
        };
        emit();
        continue;
      }
      const resolved = step.resolveAtRuntime?.(step.plan, step.when) ?? {
        plan: step.plan,
        when: step.when,
        warnings: [],
      };
      for (const w of resolved.warnings) logLine(step.plan.logPath, w);
      const startedAt = rfc3339(clock.now());
      if (!whenAllows(resolved.when)) {
        writeFileSync(join(step.statusDir, "exitCode"), "0");
        states[i] = {
          name: step.statusName,
          container: step.container,
          terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt: startedAt },
          terminationReason: StepTerminationReason.Skipped,
        };
        emit();
        continue;
      }
      states[i] = { name: step.statusName, container: step.container, running: { startedAt } };
      emit();
      if (step.debugInfoDir !== undefined) mkdirSync(step.debugInfoDir, { recursive: true });
      const outcome = await pod.runStep(resolved.plan, signal);
      if (outcome.ended === "aborted") {
        states[i] = { ...states[i]!, running: { startedAt: rfc3339(outcome.startedAt) } };
        break;
      }
      const state = finishStep(input, step, outcome, stepResults);
      states[i] = state.state;
      if (state.failure !== undefined) failure ??= state.failure;
      overLimit ??= state.overLimit;
      emit();
    }
  } finally {
    try {
      sidecarOutcomes = await pod.stopSidecars();
    } finally {
      cleanup = pod.destroy();
    }
  }
  const sidecars = sidecarStates(input.sidecarStatusNames, sidecarOutcomes);
  if (failure === undefined && !signal.aborted) {
    const bad = sidecarOutcomes.find((o) => o.exitedBeforeStop && o.exitCode !== 0);
    if (bad !== undefined) {
      failure =
        bad.ended === "imagePullFailed"
          ? imagePullFailure(input.taskRunName, "sidecar", bad.name.replace(/^sidecar-/, ""), bad)
          : { reason: TaskRunReason.Failed, message: `"${bad.name}" exited with code ${bad.exitCode}` };
    }
  }
  const taskResults = readTaskResults(input);
  if (taskResults.tooLarge && input.features.resultsFrom === "sidecar-logs") overLimit ??= "sidecarLogLine";
  if (overLimit === "sidecarLogLine" && !signal.aborted) {
    failure = {
      reason: TaskRunReason.ResultLargerThanAllowedLimit,
      message: resultTooLargeMessage(input.taskRunName),
    };
  }
  return {
    steps: states,
    sidecars,
    // A step whose termination message overflowed reported none of the results present then.
    results: overLimit === "terminationMessage" ? [] : taskResults.results,
    stepResults,
    ...(failure !== undefined ? { failure } : {}),
    aborted: signal.aborted,
    cleanup,
  };
}

function finishStep(
  input: AttemptInput,
  step: PreparedStep,
  outcome: ContainerOutcome,
  stepResults: Map<string, TaskRunResult[]>,
): { state: StepState; failure?: AttemptFailure; overLimit?: ResultLimitBreach } {
  const startedAt = rfc3339(outcome.startedAt);
  const finishedAt = rfc3339(outcome.finishedAt);
  const base = {
    name: step.statusName,
    container: step.container,
    ...(outcome.imageID ? { imageID: outcome.imageID } : {}),
  };
  if (outcome.ended === "imagePullFailed") {
    return {
      state: { ...base, waiting: { reason: "ImagePullBackOff", message: outcome.message ?? "" } },
      failure: imagePullFailure(input.taskRunName, "step", step.statusName, outcome),
    };
  }
  if (outcome.ended === "startFailed" && outcome.message) logLine(step.plan.logPath, outcome.message);

  // Results the entrypoint would report from this step: task results present so far, its step results.
  const read = (path: string, label: string): string | undefined => {
    const r = readResultFile(input.pod.dir, path, input.features);
    if (r.kind === "notRegular")
      logLine(step.plan.logPath, `${label} is not a regular file: not read as a result`);
    if (r.kind === "tooLarge") oversized = true;
    return r.kind === "ok" ? r.value : undefined;
  };
  let oversized = false;
  let entries: MessageEntry[] = [];
  for (const r of input.fileResults) {
    const raw = read(join(input.resultsDir, r.name), `result "${r.name}"`);
    if (raw !== undefined) entries.push({ key: r.name, value: raw, type: ResultEntryType.TaskRunResult });
  }
  let own: TaskRunResult[] = [];
  for (const r of step.results) {
    const raw = read(join(step.statusDir, "results", r.name), `step result "${r.name}"`);
    if (raw === undefined) continue;
    own.push(typedResult(r, raw));
    entries.push({ key: r.name, value: raw, type: ResultEntryType.StepResult });
  }

  let exitCode = outcome.exitCode;
  let ended = outcome.ended;
  let overLimit: ResultLimitBreach | undefined;
  if (input.features.resultsFrom === "termination-message") {
    if (oversized || terminationMessageSize(startedAt, entries) > MAX_TERMINATION_MESSAGE) {
      // The entrypoint cannot write its termination message: the step fails and reports nothing.
      logLine(
        step.plan.logPath,
        "Termination message is above max allowed size 4096, caused by large task result.",
      );
      exitCode = 1;
      ended = "exited";
      entries = [];
      own = [];
      overLimit = "terminationMessage";
    }
  } else {
    const lines = entries.map((e) =>
      e.type === ResultEntryType.StepResult
        ? sidecarLogLineSize(`${step.statusName}.${e.key}`, e.value, "step")
        : sidecarLogLineSize(e.key, e.value, "task"),
    );
    if (oversized || lines.some((n) => n > input.features.maxResultSize)) {
      overLimit = "sidecarLogLine";
      entries = entries.filter((_, i) => lines[i]! <= input.features.maxResultSize);
      own = own.filter((r) => entries.some((e) => e.type === ResultEntryType.StepResult && e.key === r.name));
    }
  }
  stepResults.set(step.dirName, own);
  const message = renderTerminationMessage(entries);
  const resultsPart = own.length > 0 ? { results: own } : {};
  const msgPart = message !== undefined ? { message } : {};

  const ok = ended === "exited" && exitCode === 0;
  const continued = ended === "exited" && exitCode !== 0 && step.onError === "continue";
  const tooLargePart = overLimit !== undefined ? { overLimit } : {};
  if (ok || continued) {
    writeFileSync(join(step.statusDir, "exitCode"), String(exitCode));
    writeFileSync(join(step.statusDir, "..", "out"), "");
    return {
      ...tooLargePart,
      state: {
        ...base,
        terminated: { exitCode, reason: "Completed", ...msgPart, startedAt, finishedAt },
        ...resultsPart,
        terminationReason: continued ? StepTerminationReason.Continued : StepTerminationReason.Completed,
      },
    };
  }
  writeFileSync(join(step.statusDir, "..", "out.err"), "");
  const timedOut = ended === "stepTimeout";
  const oom = ended === "oomKilled";
  const code = timedOut || ended === "startFailed" ? 1 : exitCode;
  return {
    ...tooLargePart,
    state: {
      ...base,
      terminated: { exitCode: code, reason: oom ? "OOMKilled" : "Error", ...msgPart, startedAt, finishedAt },
      ...resultsPart,
      terminationReason: timedOut
        ? StepTerminationReason.TimeoutExceeded
        : oom
          ? StepTerminationReason.OOMKilled
          : StepTerminationReason.Error,
    },
    failure: stepFailureMessage(step.container, { ...outcome, exitCode: code, ended }),
  };
}

/** The step results an earlier step left (`/tekton/run/<i>/status/results`). */
function readStepResults(input: AttemptInput, step: PreparedStep): TaskRunResult[] {
  const out: TaskRunResult[] = [];
  for (const r of step.results) {
    const f = readResultFile(input.pod.dir, join(step.statusDir, "results", r.name), input.features);
    if (f.kind === "ok") out.push(typedResult(r, f.value));
  }
  return out;
}

/** Task results in `/tekton/results` at the end; a value over its transport's limit is never kept. */
function readTaskResults(input: AttemptInput): { results: TaskRunResult[]; tooLarge: boolean } {
  const results: TaskRunResult[] = [];
  let tooLarge = false;
  for (const r of input.fileResults) {
    const f = readResultFile(input.pod.dir, join(input.resultsDir, r.name), input.features);
    if (f.kind === "tooLarge") tooLarge = true;
    if (f.kind !== "ok") continue;
    if (
      input.features.resultsFrom === "sidecar-logs" &&
      sidecarLogLineSize(r.name, f.value, "task") > input.features.maxResultSize
    ) {
      tooLarge = true;
      continue;
    }
    results.push(typedResult(r, f.value));
  }
  return { results, tooLarge };
}

function sidecarStates(names: Array<string | undefined>, outcomes: SidecarOutcome[]): SidecarState[] {
  const states: SidecarState[] = [];
  outcomes.forEach((o, i) => {
    const name = names[i];
    if (name === undefined) return;
    const startedAt = rfc3339(o.startedAt);
    const finishedAt = rfc3339(o.finishedAt);
    states.push({
      name,
      container: o.name,
      ...(o.imageID ? { imageID: o.imageID } : {}),
      terminated: o.exitedBeforeStop
        ? { exitCode: o.exitCode, reason: o.exitCode === 0 ? "Completed" : "Error", startedAt, finishedAt }
        : {
            exitCode: 0,
            reason: "Completed",
            message: "Sidecar container successfully stopped by nop image",
            startedAt,
            finishedAt,
          },
    });
  });
  return states;
}
