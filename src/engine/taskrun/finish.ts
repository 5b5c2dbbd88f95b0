/** The status an attempt ends with when it was not cancelled or timed out. */
import { TaskRunReason } from "../../api/reasons.js";
import type { TaskRunResult, TaskRunStatus } from "../../api/types.js";
import { parseArtifacts, taskRunArtifacts, type Artifacts } from "./artifacts.js";
import { ContainedRead, readContained } from "./contained-read.js";
import { MAX_PROVENANCE_BYTES } from "./result-files.js";
import type { AttemptResult } from "./attempt-types.js";
import type { PreparedRun } from "./plan.js";
import { checkResultTypes, dedupeResults } from "./results.js";
import { markFailed, markSucceeded, userError } from "./status.js";

const STEP_RESULT_REF = /^\$\(steps\.([^.]+)\.results\.([^.)\[]+)\)$/;

/** Task results declared with `value: $(steps.<s>.results.<r>)`, taken from that step's results. */
function resultsFromSteps(prepared: PreparedRun, result: AttemptResult): TaskRunResult[] {
  const out: TaskRunResult[] = [];
  for (const r of prepared.valueResults) {
    const m = typeof r.value === "string" ? STEP_RESULT_REF.exec(r.value.trim()) : null;
    if (m === null) continue;
    const found = result.stepResults.get(`step-${m[1] ?? ""}`)?.find((sr) => sr.name === m[2]);
    if (found !== undefined) out.push({ name: r.name, type: found.type, value: found.value });
  }
  return out;
}

/** What the steps wrote to the task's `$(artifacts.path)`, read without following links. */
function taskArtifacts(prepared: PreparedRun): Artifacts | undefined {
  const file = readContained(prepared.attemptDir, prepared.artifactsFile, MAX_PROVENANCE_BYTES);
  return file.kind === ContainedRead.Ok ? parseArtifacts(file.text) : undefined;
}

/**
 * The final status of an attempt. `failureIgnored`: the TaskRun belongs to a pipeline task with
 * `onError: continue`, so a failing step ends it with reason `FailureIgnored`.
 */
export function finalStatus(
  base: TaskRunStatus,
  result: AttemptResult,
  prepared: PreparedRun,
  now: Date,
  failureIgnored: boolean,
): TaskRunStatus {
  const produced = dedupeResults([...result.results, ...resultsFromSteps(prepared, result)]);
  const checked = checkResultTypes(prepared.declaredResults, produced);
  const withResults: TaskRunStatus = { ...base };
  withResults.artifacts = taskRunArtifacts(
    taskArtifacts(prepared),
    result.steps.map((st) => ({
      ...(st.inputs !== undefined ? { inputs: st.inputs } : {}),
      ...(st.outputs !== undefined ? { outputs: st.outputs } : {}),
    })),
  );
  if (checked.results.length > 0) withResults.results = checked.results;
  else delete withResults.results;
  if (result.failure !== undefined) {
    const reason = failureIgnored ? TaskRunReason.FailureIgnored : result.failure.reason;
    return markFailed(withResults, reason, result.failure.message, now);
  }
  if (checked.error !== undefined) {
    return markFailed(withResults, TaskRunReason.FailedValidation, userError(checked.error), now);
  }
  return markSucceeded(withResults, now);
}
