/**
 * How a step's end becomes its state, as Tekton's entrypoint reports it: the exit-code and
 * post files, the results it wrote, the termination-message or sidecar-log size limits, and the
 * failure it causes.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StepTerminationReason, TaskRunReason } from "../../api/reasons.js";
import type { StepState, TaskRunResult } from "../../api/types.js";
import type { ContainerOutcome } from "../../executors/executor.js";
import { requestedImageID } from "../../executors/image-ref.js";
import { LOG_FILE_MODE } from "../../executors/process.js";
import { rfc3339 } from "../../api/time.js";
import type { AttemptFailure, AttemptInput, PreparedStep, ResultLimitBreach } from "./attempt-types.js";
import {
  MAX_TERMINATION_MESSAGE,
  ResultEntryType,
  renderTerminationMessage,
  terminationMessageSize,
  typedResult,
  type MessageEntry,
} from "./results.js";
import { readResultFile, sidecarLogLineSize } from "./result-files.js";
import { readStepArtifacts } from "./artifacts.js";
import type { FailedContainer } from "./pod-failure.js";

export function logLine(path: string, text: string): void {
  appendFileSync(path, text.endsWith("\n") ? text : text + "\n", { mode: LOG_FILE_MODE });
}

export function imagePullFailure(
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

/**
 * What every state of a step carries, whether it ran or not (its container had started with its
 * image): the image the engine ran when it says, else the one the step asked for.
 */
export function stepIdentity(
  step: PreparedStep,
  outcome?: Pick<ContainerOutcome, "imageID">,
): Pick<StepState, "name" | "container" | "imageID"> {
  return {
    name: step.statusName,
    container: step.container,
    imageID: outcome?.imageID ?? requestedImageID(step.plan.image),
  };
}

export function finishStep(
  input: AttemptInput,
  step: PreparedStep,
  outcome: ContainerOutcome,
  stepResults: Map<string, TaskRunResult[]>,
): { state: StepState; failure?: AttemptFailure; failed?: FailedContainer; overLimit?: ResultLimitBreach } {
  const startedAt = rfc3339(outcome.startedAt);
  const finishedAt = rfc3339(outcome.finishedAt);
  const base = {
    ...stepIdentity(step, outcome),
    ...readStepArtifacts(input.pod.dir, step.statusDir),
  };
  if (outcome.ended === "imagePullFailed") {
    return {
      state: { ...base, waiting: { reason: "ImagePullBackOff", message: outcome.message ?? "" } },
      failure: imagePullFailure(input.taskRunName, "step", step.statusName, outcome),
    };
  }
  if ((outcome.ended === "startFailed" || outcome.ended === "startError") && outcome.message) {
    // What the entrypoint (or the runtime) says goes to the step's log and to whoever watches it live.
    logLine(step.plan.logPath, outcome.message);
    input.pod.onLog?.(step.container, "stderr", Buffer.from(`${outcome.message}\n`));
  }

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
  // A container its runtime refused to start: Kubernetes' StartError, with the runtime's message.
  const startError = ended === "startError";
  const reason = oom
    ? StepTerminationReason.OOMKilled
    : startError
      ? StepTerminationReason.StartError
      : StepTerminationReason.Error;
  const terminatedMessage = startError && outcome.message ? { message: outcome.message } : msgPart;
  return {
    ...tooLargePart,
    state: {
      ...base,
      terminated: { exitCode: code, reason, ...terminatedMessage, startedAt, finishedAt },
      ...resultsPart,
      terminationReason: timedOut ? StepTerminationReason.TimeoutExceeded : reason,
    },
    failed: { container: step.container, role: "step", exitCode: code, terminatedReason: reason, timedOut },
  };
}

/** The step results an earlier step left (`/tekton/run/<i>/status/results`). */
export function readStepResults(input: AttemptInput, step: PreparedStep): TaskRunResult[] {
  const out: TaskRunResult[] = [];
  for (const r of step.results) {
    const f = readResultFile(input.pod.dir, join(step.statusDir, "results", r.name), input.features);
    if (f.kind === "ok") out.push(typedResult(r, f.value));
  }
  return out;
}
