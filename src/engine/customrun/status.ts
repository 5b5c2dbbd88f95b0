/**
 * Pure status transitions of custom runs (docs/tekton-semantics.md#custom-runs; Tekton's docs/customruns.md and docs/runs.md): every condition,
 * reason and message the engine writes for SDK controllers comes from here. The shapes mirror
 * Tekton's helpers: `InitializeConditions`, `MarkCustomRunRunning/Succeeded/Failed` (which also
 * set `completionTime = lastTransitionTime`).
 *
 * @module
 */
import {
  EmptyFields,
  succeededCondition,
  withSucceededCondition,
  type ConditionChange,
} from "../../api/conditions.js";
import { durationToMs, formatGoDuration, parseGoDuration } from "../../api/duration.js";
import { CustomRunReason, Defaults, RunReason } from "../../api/reasons.js";
import type { CustomRunStatus, Json } from "../../api/types.js";
import {
  CustomRunKind,
  isRunCancelled,
  retryCountOf,
  type AnyCustomRun,
} from "../../customtasks/run-view.js";
import { rfc3339 } from "../../api/time.js";

/** The reasons the engine writes, per run kind (Tekton's constants where Tekton has one). */
export interface RunReasons {
  readonly Started: string;
  readonly Running: string;
  readonly Successful: string;
  readonly Failed: string;
  readonly Cancelled: string;
  readonly TimedOut: string;
  readonly WorkspaceNotSupported: string;
  readonly PodTemplateNotSupported: string;
  /** tektite's: a controller that does not support timeouts rejects runs that set one. */
  readonly TimeoutNotSupported: string;
  /** tektite's (as tektoncd/experimental's CEL task): params rejected by the controller's declarations. */
  readonly ValidationFailed: string;
  /** tektite's (as Tekton's reference Wait task): a failed attempt that will be retried. */
  readonly Retrying: string;
}

/** Reasons for `CustomRun` (tekton.dev/v1beta1). */
export const CustomRunReasons: RunReasons = {
  ...CustomRunReason,
  PodTemplateNotSupported: "CustomRunPodTemplateNotSupported",
  TimeoutNotSupported: "CustomRunTimeoutNotSupported",
  ValidationFailed: "CustomRunValidationFailed",
  Retrying: "Retrying",
};

/** Reasons for `Run` (tekton.dev/v1alpha1). */
export const RunReasons: RunReasons = {
  ...RunReason,
  TimeoutNotSupported: "RunTimeoutNotSupported",
  ValidationFailed: "RunValidationFailed",
  Retrying: "Retrying",
};

/** The reason set of a run's kind. */
export function reasonsFor(run: Pick<AnyCustomRun, "kind">): RunReasons {
  return run.kind === CustomRunKind.Run ? RunReasons : CustomRunReasons;
}

/** Sets the Succeeded condition, keeping `lastTransitionTime` when nothing changed (knative). */
export function setCondition(status: CustomRunStatus, cond: ConditionChange, now: Date): CustomRunStatus {
  return withSucceededCondition(status, cond, now, EmptyFields.Omit);
}

/** `InitializeConditions()`: `startTime=now` and `Unknown/Started` (message kept, as knative does). */
export function markStarted(
  status: CustomRunStatus | undefined,
  reasons: RunReasons,
  now: Date,
): CustomRunStatus {
  const base: CustomRunStatus = { ...(status ?? {}), startTime: rfc3339(now) };
  const message = succeededCondition(status)?.message;
  return setCondition(
    base,
    { status: "Unknown", reason: reasons.Started, ...(message ? { message } : {}) },
    now,
  );
}

/**
 * knative's `PostProcessReconcile`: every reconcile that writes a status records the generation it
 * saw (`status.observedGeneration`), which the archived attempts in `retriesStatus` keep.
 */
export function withObservedGeneration(run: AnyCustomRun, status: CustomRunStatus): CustomRunStatus {
  const generation = run.metadata.generation;
  if (generation === undefined) return status;
  const next: CustomRunStatus = { ...status, observedGeneration: generation };
  // An attempt started and archived within one decision was never written on its own.
  if (status.retriesStatus !== undefined)
    next.retriesStatus = status.retriesStatus.map((r) => ({ observedGeneration: generation, ...r }));
  return next;
}

/** The fields of `status` that the custom-run contract defines (never set through `statusFields`). */
export const RESERVED_STATUS_FIELDS: readonly string[] = [
  "conditions",
  "observedGeneration",
  "annotations",
  "startTime",
  "completionTime",
  "results",
  "retriesStatus",
  "extraFields",
];

/** What a controller may add besides the condition. */
export interface StatusExtras {
  extraFields?: Json;
  statusFields?: Record<string, Json>;
}

/** Applies `extraFields` and the non-reserved `statusFields`. */
export function withExtras(status: CustomRunStatus, extras: StatusExtras): CustomRunStatus {
  const next: CustomRunStatus = { ...status };
  if (extras.extraFields !== undefined) next.extraFields = extras.extraFields;
  for (const [k, v] of Object.entries(extras.statusFields ?? {})) {
    if (!RESERVED_STATUS_FIELDS.includes(k)) next[k] = v;
  }
  return next;
}

/** `MarkCustomRunRunning(reason, message)`, optionally with extras. */
export function markRunning(
  status: CustomRunStatus,
  change: { reason: string; message?: string } & StatusExtras,
  now: Date,
): CustomRunStatus {
  return setCondition(
    withExtras(status, change),
    { status: "Unknown", reason: change.reason, message: change.message ?? "" },
    now,
  );
}

/** `MarkCustomRunSucceeded`: `True`, results, extraFields, `completionTime = lastTransitionTime`. */
export function markSucceeded(
  status: CustomRunStatus,
  outcome: { reason: string; message?: string; results?: Record<string, string> } & StatusExtras,
  now: Date,
): CustomRunStatus {
  let next: CustomRunStatus = withExtras(status, outcome);
  if (outcome.results !== undefined && Object.keys(outcome.results).length > 0) {
    next.results = Object.entries(outcome.results).map(([name, value]) => ({ name, value: String(value) }));
  }
  next = setCondition(next, { status: "True", reason: outcome.reason, message: outcome.message ?? "" }, now);
  return withCompletionTime(next);
}

/** `MarkCustomRunFailed`: `False`, `completionTime = lastTransitionTime`. */
export function markFailed(
  status: CustomRunStatus,
  failure: { reason: string; message: string } & StatusExtras,
  now: Date,
): CustomRunStatus {
  return withCompletionTime(
    setCondition(
      withExtras(status, failure),
      { status: "False", reason: failure.reason, message: failure.message },
      now,
    ),
  );
}

function withCompletionTime(status: CustomRunStatus): CustomRunStatus {
  const t = succeededCondition(status)?.lastTransitionTime;
  return t !== undefined ? { ...status, completionTime: t } : status;
}

/** A run's timeout per attempt: `spec.timeout`, else the constant 60 minutes; `ms === 0` means none. */
export function runTimeout(run: AnyCustomRun): { text: string; ms: number } {
  const raw = run.spec?.timeout;
  const ns =
    raw !== undefined && raw !== ""
      ? parseGoDuration(raw)
      : BigInt(Defaults.TimeoutMinutes) * 60_000_000_000n;
  return { text: formatGoDuration(ns), ms: ns <= 0n ? 0 : durationToMs(ns) };
}

/**
 * When the timeout clock started. A CustomRun's timeout is per attempt (Tekton's docs/customruns.md: "Timeout is
 * specified for each retry attempt"), so it is the attempt's `startTime`. A Run's timeout covers
 * every retry (Tekton's docs/runs.md: "use the entire timeout duration for exhausting all the retries"), so it
 * is the first attempt's `startTime`.
 */
export function timeoutClockStart(run: AnyCustomRun): string | undefined {
  const start = run.status?.startTime;
  if (start === undefined || run.kind !== CustomRunKind.Run) return start;
  return run.status?.retriesStatus?.[0]?.startTime ?? start;
}

/** Whether a timeout ends the whole run (a Run: the timeout covers all retries) rather than the attempt. */
export function timeoutIsFinal(run: Pick<AnyCustomRun, "kind">): boolean {
  return run.kind === CustomRunKind.Run;
}

/** Milliseconds left before the run times out (undefined: no timeout or not started). */
export function timeLeftMs(run: AnyCustomRun, now: Date): number | undefined {
  const start = timeoutClockStart(run);
  const { ms } = runTimeout(run);
  if (start === undefined || ms === 0) return undefined;
  return ms - (now.getTime() - Date.parse(start));
}

/** The cancel condition's message: `spec.statusMessage`, else `<Kind> "<name>" was cancelled`. */
export function cancelMessage(run: AnyCustomRun): string {
  const m = run.spec?.statusMessage;
  return m !== undefined && m !== "" ? m : `${run.kind} "${run.metadata.name ?? ""}" was cancelled`;
}

/** The timeout condition's message: `<Kind> "<name>" failed to finish within "<timeout>"`. */
export function timeoutMessage(run: AnyCustomRun): string {
  return `${run.kind} "${run.metadata.name ?? ""}" failed to finish within "${runTimeout(run).text}"`;
}

/** Whether a failed attempt may be retried: retries supported, not cancelled, attempts left. */
export function canRetry(
  run: AnyCustomRun,
  status: CustomRunStatus | undefined,
  retriesSupported: boolean,
): boolean {
  if (!retriesSupported || isRunCancelled(run)) return false;
  return retryCountOf(status) < (run.spec?.retries ?? 0);
}

/**
 * Archives the failed attempt and resets for the next one: `retriesStatus` gains a full copy of
 * the failed status (with its own retriesStatus cleared); startTime, completionTime, results and
 * extraFields and arbitrary status fields are cleared; the condition becomes `Unknown/Retrying` with the failure message.
 * The run is never `False` while retries remain (Tekton's docs/customruns.md).
 */
export function prepareRetry(failed: CustomRunStatus, reasons: RunReasons, now: Date): CustomRunStatus {
  const { retriesStatus, ...attempt } = failed;
  const archived: CustomRunStatus = structuredClone(attempt);
  const next: CustomRunStatus = { ...attempt, retriesStatus: [...(retriesStatus ?? []), archived] };
  delete next.startTime;
  delete next.completionTime;
  delete next.results;
  delete next.extraFields;
  for (const k of Object.keys(next)) if (!RESERVED_STATUS_FIELDS.includes(k)) delete next[k];
  const message = succeededCondition(failed)?.message ?? "";
  return setCondition(next, { status: "Unknown", reason: reasons.Retrying, message }, now);
}

/** Ends an attempt in failure: the retry state when retries remain, else `False`. */
export function failAttempt(
  run: AnyCustomRun,
  status: CustomRunStatus,
  failure: { reason: string; message: string } & StatusExtras,
  opts: { retriesSupported: boolean; now: Date },
): CustomRunStatus {
  const failed = markFailed(status, failure, opts.now);
  return canRetry(run, status, opts.retriesSupported)
    ? prepareRetry(failed, reasonsFor(run), opts.now)
    : failed;
}
