/**
 * Runs one TaskRun attempt (Tekton's pod) through an executor, doing what Tekton's entrypoint
 * does around each step: strict ordering, skipping after a failure, `when`, onError, step
 * timeouts, exit-code files, result collection and size limits (docs/tekton-semantics.md#entrypoint, #results, #size-limits, #sidecars).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StepTerminationReason, TaskRunReason } from "../../api/reasons.js";
import type { StepState, TaskRunResult } from "../../api/types.js";
import type { SidecarOutcome } from "../../executors/executor.js";
import { rfc3339 } from "../../api/time.js";
import type { AttemptFailure, AttemptInput, AttemptResult, ResultLimitBreach } from "./attempt-types.js";
import { readTaskResults, resultsSidecarState, sidecarStates } from "./attempt-outputs.js";
import { resultTooLargeMessage } from "./result-files.js";
import { finishStep, imagePullFailure, logLine, readStepResults, stepIdentity } from "./step-end.js";
import { podFailureCondition, type FailedContainer } from "./pod-failure.js";
import { StepWhen, decideStepWhen } from "./step-when.js";

/** Runs every step of the attempt and stops its sidecars. Never throws for a step's own failure. */
export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { clock, signal } = input;
  const resume = input.resume;
  const states: StepState[] = input.steps.map((s, i) =>
    resume !== undefined && i < resume.from && resume.states[i] !== undefined
      ? resume.states[i]
      : { ...stepIdentity(s), waiting: { reason: "PodInitializing" } },
  );
  const emit = (): void => input.onProgress?.(states.map((s) => ({ ...s })));
  const stepResults = new Map<string, TaskRunResult[]>();
  let failure: AttemptFailure | undefined;
  /** Steps that ended in failure, in order (getFailureInfo reads them with the sidecars). */
  const failedSteps: FailedContainer[] = [];
  let overLimit: ResultLimitBreach | undefined;
  let sidecarOutcomes: SidecarOutcome[] = [];
  const podStartedAt = clock.now();
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
        if (state.failed !== undefined) failedSteps.push(state.failed);
        overLimit ??= state.overLimit;
        emit();
        continue;
      }
      if ((failure !== undefined || failedSteps.length > 0) && input.breakpointOnFailure !== true) {
        const now = rfc3339(clock.now());
        writeFileSync(join(step.statusDir, "..", "out.err"), "");
        states[i] = {
          ...stepIdentity(step),
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
      const when = decideStepWhen(resolved.when);
      if (when.kind === StepWhen.Skip) {
        writeFileSync(join(step.statusDir, "exitCode"), "0");
        states[i] = {
          ...stepIdentity(step),
          terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt: startedAt },
          terminationReason: StepTerminationReason.Skipped,
        };
        emit();
        continue;
      }
      if (when.kind === StepWhen.Error) {
        logLine(step.plan.logPath, `Error executing command: ${when.message}`);
        writeFileSync(join(step.statusDir, "..", "out.err"), "");
        states[i] = {
          ...stepIdentity(step),
          terminated: { exitCode: 1, reason: "Error", startedAt, finishedAt: startedAt },
          terminationReason: StepTerminationReason.Error,
        };
        failedSteps.push({
          container: step.container,
          role: "step",
          exitCode: 1,
          terminatedReason: StepTerminationReason.Error,
          timedOut: false,
        });
        emit();
        continue;
      }
      states[i] = { ...stepIdentity(step), running: { startedAt } };
      emit();
      if (step.debugInfoDir !== undefined) mkdirSync(step.debugInfoDir, { recursive: true });
      const outcome = await pod.runStep(resolved.plan, signal);
      if (outcome.ended === "aborted") {
        states[i] = {
          ...states[i]!,
          ...stepIdentity(step, outcome),
          running: { startedAt: rfc3339(outcome.startedAt) },
        };
        break;
      }
      const state = finishStep(input, step, outcome, stepResults);
      states[i] = state.state;
      if (state.failure !== undefined) failure ??= state.failure;
      if (state.failed !== undefined) failedSteps.push(state.failed);
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
  const sidecars = sidecarStates(
    input.sidecarStatusNames,
    sidecarOutcomes,
    input.pod.sidecars.map((sc) => sc.image),
  );
  if (input.resultsSidecar === true) sidecars.push(resultsSidecarState(podStartedAt, clock.now()));
  if (failure === undefined && !signal.aborted) {
    const bad = sidecarOutcomes.filter((o) => o.exitedBeforeStop && o.exitCode !== 0);
    const pull = bad.find((o) => o.ended === "imagePullFailed");
    failure =
      pull !== undefined && failedSteps.length === 0
        ? imagePullFailure(input.taskRunName, "sidecar", pull.name.replace(/^sidecar-/, ""), pull)
        : podFailureCondition(input.features.tektonVersion, [
            ...failedSteps,
            ...bad.filter((o) => o !== pull).map(failedSidecar),
          ]);
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

function failedSidecar(o: SidecarOutcome): FailedContainer {
  return {
    container: o.name,
    role: "sidecar",
    exitCode: o.exitCode,
    terminatedReason: o.ended === "oomKilled" ? StepTerminationReason.OOMKilled : StepTerminationReason.Error,
    timedOut: false,
  };
}
