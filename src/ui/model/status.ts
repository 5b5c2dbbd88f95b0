/**
 * What a run's `Succeeded` condition means to a person looking at it: one of a few states, each
 * with its icon, and how long the run took.
 *
 * @module
 */

import { isCancelled, isDone, succeededCondition as conditionOf } from "../../api/conditions.js";
import type { Condition, KubeObject } from "../../api/types.js";

/** The states a run is shown in. */
export const RunState = {
  Pending: "pending",
  Running: "running",
  Succeeded: "succeeded",
  Failed: "failed",
  Cancelled: "cancelled",
} as const;
/** One of {@link RunState}'s values. */
export type RunState = (typeof RunState)[keyof typeof RunState];

/** Icons (text glyphs) of the states; the state's name goes beside them for screen readers. */
export const RUN_STATE_ICON: Readonly<Record<RunState, string>> = {
  pending: "○",
  running: "◔",
  succeeded: "✔",
  failed: "✖",
  cancelled: "⊘",
};

/** Reasons of a run that has not started because it waits (spec.status pending). */
const PENDING_REASONS: ReadonlySet<string> = new Set(["TaskRunPending", "PipelineRunPending", "Pending"]);

type WithStatus = object & { readonly status?: unknown };

/** The run's `Succeeded` condition, if any. */
export function succeededCondition(obj: KubeObject | WithStatus): Condition | undefined {
  return conditionOf((obj as WithStatus).status);
}

/** The state a run is shown in. */
export function runState(obj: KubeObject | WithStatus): RunState {
  const c = succeededCondition(obj);
  if (c === undefined) return RunState.Pending;
  if (c.status === "True") return RunState.Succeeded;
  if (c.status === "False") return isCancelled(obj) ? RunState.Cancelled : RunState.Failed;
  return PENDING_REASONS.has(c.reason ?? "") ? RunState.Pending : RunState.Running;
}

/** Whether the run has finished (its condition is True or False). */
export function isFinished(obj: KubeObject | WithStatus): boolean {
  return isDone(obj);
}

/** `1h 2m`, `3m 4s`, `5s` (or `0s`); undefined without a start. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** How long a run (or step) ran: from start to completion, or to `now` while running. */
export function runDuration(
  start: string | undefined,
  end: string | undefined,
  now: Date,
): string | undefined {
  if (start === undefined) return undefined;
  const from = Date.parse(start);
  if (Number.isNaN(from)) return undefined;
  const to = end !== undefined ? Date.parse(end) : now.getTime();
  return formatDuration((Number.isNaN(to) ? now.getTime() : to) - from);
}

/** `3m ago`, `2h ago`, `4d ago`: how long ago a time was. */
export function age(time: string | undefined, now: Date): string {
  if (time === undefined) return "";
  const t = Date.parse(time);
  if (Number.isNaN(t)) return "";
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** The state a step (or container) is shown in. */
export function stepState(s: {
  waiting?: unknown;
  running?: unknown;
  terminated?: { exitCode: number; reason?: string };
  terminationReason?: string;
}): RunState {
  if (s.terminated !== undefined) {
    const reason = s.terminationReason ?? s.terminated.reason;
    if (reason === "Cancelled" || reason === "Skipped") return RunState.Cancelled;
    return s.terminated.exitCode === 0 ? RunState.Succeeded : RunState.Failed;
  }
  if (s.running !== undefined) return RunState.Running;
  return RunState.Pending;
}
