/**
 * A PipelineRun's three timeouts (`spec.timeouts.pipeline|tasks|finally`, one derived from the
 * other two as Tekton does), the children to cancel when one expires, and when the next falls due.
 */
import { durationToMs, parseGoDuration } from "../../api/duration.js";
import type { PipelineRun, PipelineRunStatus } from "../../api/pipeline-types.js";
import { childDone } from "./children.js";
import type { CancelAction } from "./decision.js";
import type { Facts, Timeouts } from "./facts.js";

export interface TimeoutTexts {
  pipeline: bigint;
  tasks?: bigint;
  finally?: bigint;
}

export function timeoutsOf(pr: PipelineRun, defaultMinutes: number): TimeoutTexts {
  const t = pr.spec.timeouts ?? {};
  const pipeline =
    t.pipeline !== undefined ? parseGoDuration(t.pipeline) : BigInt(defaultMinutes) * 60_000_000_000n;
  let tasks = t.tasks !== undefined ? parseGoDuration(t.tasks) : undefined;
  let fin = t.finally !== undefined ? parseGoDuration(t.finally) : undefined;
  if (tasks === undefined && t.pipeline !== undefined && fin !== undefined && pipeline !== 0n && fin !== 0n)
    tasks = pipeline - fin;
  if (fin === undefined && t.pipeline !== undefined && tasks !== undefined && pipeline !== 0n && tasks !== 0n)
    fin = pipeline - tasks;
  return {
    pipeline,
    ...(tasks !== undefined ? { tasks } : {}),
    ...(fin !== undefined ? { finally: fin } : {}),
  };
}

/** The timeouts in milliseconds, with the start times they count from. */
export function timeoutFacts(t: TimeoutTexts, status: PipelineRunStatus): Timeouts {
  return {
    pipelineMs: durationToMs(t.pipeline),
    ...(status.startTime !== undefined ? { startMs: Date.parse(status.startTime) } : {}),
    ...(status.finallyStartTime !== undefined ? { finallyStartMs: Date.parse(status.finallyStartTime) } : {}),
    ...(t.tasks !== undefined ? { tasksMs: durationToMs(t.tasks) } : {}),
    ...(t.finally !== undefined ? { finallyMs: durationToMs(t.finally) } : {}),
  };
}

export function timeoutCancels(facts: Facts, only?: ReadonlySet<string>): CancelAction[] {
  const out: CancelAction[] = [];
  for (const t of facts.tasks) {
    if (only !== undefined && !only.has(t.pt.name)) continue;
    for (const c of t.children) {
      if (!childDone(c)) out.push({ kind: t.kind, name: c.metadata.name ?? "", timeout: true });
    }
  }
  return out;
}

export function nextDeadline(facts: Facts, nowMs: number): number | undefined {
  const tm = facts.timeouts;
  const due: number[] = [];
  if (tm.startMs !== undefined && tm.pipelineMs > 0) due.push(tm.startMs + tm.pipelineMs);
  if (tm.startMs !== undefined && tm.tasksMs) due.push(tm.startMs + tm.tasksMs);
  if (tm.finallyStartMs !== undefined && tm.finallyMs) due.push(tm.finallyStartMs + tm.finallyMs);
  const next = due.filter((d) => d >= nowMs).sort((a, b) => a - b)[0];
  return next === undefined ? undefined : next - nowMs + 1;
}
