/**
 * What SDK controllers receive (read-only run copies, contexts) and how what they throw becomes
 * a failure condition.
 *
 * @module
 */
import type { CustomTaskLogger, CustomTaskOutcome, RunContextBase } from "../../customtasks/controller.js";
import { CustomTaskError, errorMessage } from "../../customtasks/errors.js";
import { retryCountOf, runKey, targetOf, TargetVia, type AnyCustomRun } from "../../customtasks/run-view.js";
import type { RunReasons } from "./status.js";

/** Freezes an object graph in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A deep-frozen copy. */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

/** The context fields every SDK style shares. */
export function baseContext(
  run: AnyCustomRun,
  opts: { now: () => Date; log: CustomTaskLogger },
): RunContextBase {
  const frozen = frozenCopy(run);
  const { namespace, name } = runKey(run);
  return {
    run: frozen,
    namespace,
    name,
    target: frozenCopy(targetOf(run) ?? { apiVersion: "", kind: "", via: TargetVia.Ref }),
    retryCount: retryCountOf(run.status),
    log: opts.log,
    now: opts.now,
  };
}

/** A thrown value as a failure: `CustomTaskError` keeps its reason, anything else is `Failed`. */
export function toFailure(err: unknown, reasons: RunReasons): { reason: string; message: string } {
  if (err instanceof CustomTaskError) return { reason: err.reason || reasons.Failed, message: err.message };
  // A plugin bundling its own copy of the SDK throws a structurally identical error.
  if (err instanceof Error && err.name === "CustomTaskError") {
    const reason = (err as Error & { reason?: unknown }).reason;
    if (typeof reason === "string" && reason !== "") return { reason, message: err.message };
  }
  return { reason: reasons.Failed, message: errorMessage(err) };
}

/** Results as strings (non-string values are stringified; JSON for objects). */
export function stringResults(results: CustomTaskOutcome["results"]): Record<string, string> | undefined {
  if (results === undefined || results === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(results as Record<string, unknown>)) {
    out[k] = typeof v === "string" ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
  }
  return out;
}
