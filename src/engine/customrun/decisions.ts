/**
 * Pure mappings from what an SDK controller decided (a task's outcome, a reconciler's decision, an
 * abort) to the next status.
 *
 * @module
 */
import { succeededCondition } from "../../api/conditions.js";
import type { CustomRunStatus, Json } from "../../api/types.js";
import { AbortCause, type CustomTaskOutcome, type ReconcileDecision } from "../../customtasks/controller.js";
import { hasRunStarted, type AnyCustomRun } from "../../customtasks/run-view.js";
import { rfc3339 } from "../../api/time.js";
import { stringResults } from "./contexts.js";
import {
  cancelMessage,
  failAttempt,
  markFailed,
  markRunning,
  markSucceeded,
  reasonsFor,
  timeoutIsFinal,
  timeoutMessage,
} from "./status.js";

/** Options shared by the mappings. */
export interface DecideOptions {
  retriesSupported: boolean;
  now: Date;
}

/** A successful outcome: `True` with the outcome's reason (default `Succeeded`), results and extras. */
export function successStatus(
  run: AnyCustomRun,
  status: CustomRunStatus,
  o: CustomTaskOutcome,
  now: Date,
): CustomRunStatus {
  const results = stringResults(o.results);
  return markSucceeded(
    status,
    {
      reason: o.reason ?? reasonsFor(run).Successful,
      ...(o.message !== undefined ? { message: o.message } : {}),
      ...(results !== undefined ? { results } : {}),
      ...(o.extraFields !== undefined ? { extraFields: o.extraFields } : {}),
      ...(o.statusFields !== undefined ? { statusFields: o.statusFields } : {}),
    },
    now,
  );
}

/** A reconciler's decision applied to the run's status. */
export function decisionStatus(
  run: AnyCustomRun,
  decision: ReconcileDecision,
  opts: DecideOptions,
): CustomRunStatus {
  const reasons = reasonsFor(run);
  const status = run.status ?? {};
  if ("succeeded" in decision) return successStatus(run, status, decision.succeeded, opts.now);
  if ("failed" in decision) {
    const f = decision.failed;
    const failure = {
      reason: f.reason ?? reasons.Failed,
      message: f.message ?? "",
      ...(f.extraFields !== undefined ? { extraFields: f.extraFields } : {}),
      ...(f.statusFields !== undefined ? { statusFields: f.statusFields } : {}),
    };
    return failAttempt(run, status, failure, opts);
  }
  const r = decision.running;
  if (r === undefined && succeededCondition(status)?.reason === reasons.Running) return status;
  return markRunning(
    status,
    {
      reason: r?.reason ?? reasons.Running,
      ...(r?.message !== undefined ? { message: r.message } : {}),
      ...(r?.extraFields !== undefined ? { extraFields: r.extraFields } : {}),
      ...(r?.statusFields !== undefined ? { statusFields: r.statusFields } : {}),
    },
    opts.now,
  );
}

/**
 * The status after a cancel, timeout or shutdown. A timeout is retried when retries remain (not
 * for a Run, whose timeout covers all retries); a run cancelled before it started is started, then
 * cancelled (as the reference Wait task does); undefined when the run is already done.
 */
export function abortStatus(
  run: AnyCustomRun,
  cause: AbortCause,
  opts: DecideOptions & { extraFields?: Json },
): CustomRunStatus | undefined {
  const reasons = reasonsFor(run);
  const extra = opts.extraFields !== undefined ? { extraFields: opts.extraFields } : {};
  const c = succeededCondition(run.status);
  if (c !== undefined && c.status !== "Unknown") return undefined;
  if (cause === AbortCause.Timeout) {
    const failure = { reason: reasons.TimedOut, message: timeoutMessage(run), ...extra };
    return failAttempt(run, run.status ?? {}, failure, {
      retriesSupported: opts.retriesSupported && !timeoutIsFinal(run),
      now: opts.now,
    });
  }
  const base: CustomRunStatus = hasRunStarted(run)
    ? (run.status ?? {})
    : { ...(run.status ?? {}), startTime: rfc3339(opts.now) };
  const message =
    cause === AbortCause.Shutdown
      ? `${run.kind} "${run.metadata.name ?? ""}" was cancelled: tektite is shutting down`
      : cancelMessage(run);
  return markFailed(base, { reason: reasons.Cancelled, message, ...extra }, opts.now);
}
