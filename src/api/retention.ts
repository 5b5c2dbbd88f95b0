/**
 * Which finished runs a retention policy prunes, as `tkn taskrun|pipelinerun delete --keep N` /
 * `--keep-since` and the Tekton operator's pruner decide it: only completed runs count (a run
 * without `status.completionTime` is never pruned nor counted), `keep` keeps the N most recently
 * started ones, `keepSince` keeps those completed within that long. The two are exclusive, as the
 * operator's pruner validates them.
 *
 * @module
 */
import { DurationError, durationToMs, parseGoDuration } from "./duration.js";

/** A retention policy; neither field set means "keep everything". */
export interface RetentionPolicy {
  /** Keep this many most recently started completed runs (per namespace and kind). */
  keep?: number;
  /** Keep the runs completed within this many milliseconds. */
  keepSinceMs?: number;
}

/** A policy that cannot be used; the message names what is wrong. */
export class RetentionError extends Error {
  override readonly name = "RetentionError";
}

/** What the decision needs of a run. */
export interface RunTimes {
  name: string;
  startTime?: string | undefined;
  completionTime?: string | undefined;
  creationTimestamp?: string | undefined;
}

/** Whether the policy prunes anything at all. */
export function isRetentionActive(p: RetentionPolicy): boolean {
  return p.keep !== undefined || p.keepSinceMs !== undefined;
}

/**
 * The policy from its two settings, refusing both at once with the operator's message
 * (`expected exactly one, got both: keep, keep-since`, the names given by `names`).
 */
export function retentionPolicy(
  keep: number | undefined,
  keepSinceMs: number | undefined,
  names: { keep: string; keepSince: string } = { keep: "keep", keepSince: "keep-since" },
): RetentionPolicy {
  if (keep !== undefined && keepSinceMs !== undefined)
    throw new RetentionError(`expected exactly one, got both: ${names.keep}, ${names.keepSince}`);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw new RetentionError(`${names.keep}: expected a non-negative integer, got ${String(keep)}`);
  return {
    ...(keep !== undefined ? { keep } : {}),
    ...(keepSinceMs !== undefined ? { keepSinceMs } : {}),
  };
}

/**
 * `--keep-since`: whole minutes as tkn takes them (`60`), or a Go duration (`24h`, `90s`).
 * @throws RetentionError for anything else or a negative value.
 */
export function parseKeepSince(text: string, name = "keep-since"): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 60_000;
  try {
    const ms = durationToMs(parseGoDuration(t));
    if (ms < 0) throw new RetentionError(`${name}: must not be negative, got ${JSON.stringify(text)}`);
    return ms;
  } catch (err) {
    if (err instanceof DurationError)
      throw new RetentionError(
        `${name}: expected minutes or a duration such as 24h, got ${JSON.stringify(text)}`,
      );
    throw err;
  }
}

function millis(t: string | undefined): number {
  const n = t !== undefined ? Date.parse(t) : NaN;
  return Number.isNaN(n) ? 0 : n;
}

/** The names of the runs the policy prunes, most recently started first; `now` is the clock's. */
export function runsToPrune(runs: readonly RunTimes[], policy: RetentionPolicy, now: Date): string[] {
  const done = runs.filter((r) => r.completionTime !== undefined);
  if (policy.keepSinceMs !== undefined) {
    const cutoff = now.getTime() - policy.keepSinceMs;
    return done.filter((r) => millis(r.completionTime) < cutoff).map((r) => r.name);
  }
  if (policy.keep === undefined) return [];
  const started = (r: RunTimes): number => millis(r.startTime ?? r.creationTimestamp);
  // Timestamps have whole seconds: runs started in the same second are ordered by when they
  // completed, then by name, so the choice is at least stable.
  const newestFirst = [...done].sort(
    (a, b) =>
      started(b) - started(a) ||
      millis(b.completionTime) - millis(a.completionTime) ||
      b.name.localeCompare(a.name),
  );
  return newestFirst.slice(policy.keep).map((r) => r.name);
}
