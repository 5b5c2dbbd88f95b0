/**
 * Text helpers of the server commands: kubectl-style aligned tables, kubectl's human ages
 * (`5m`, `2d3h`), tkn's run-state words (`Succeeded`, `Failed(Reason)`, `Cancelled(TaskRunCancelled)`)
 * and durations.
 *
 * @module
 */
import { humanDuration } from "../../api/time.js";
import { CANCELLED_REASONS, succeededCondition } from "../../api/conditions.js";
import type { Condition, KubeObject } from "../../api/types.js";

/** Aligned columns separated by three spaces, as kubectl prints them; `indent` prefixes each line. */
export function renderTable(rows: string[][], opts: { indent?: string } = {}): string {
  if (rows.length === 0) return "";
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const indent = opts.indent ?? "";
  return (
    rows
      .map(
        (r) =>
          indent +
          r
            .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
            .join("")
            .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

/** The age of a timestamp at `now`, or "" when there is none. */
export function ageOf(ts: string | undefined, now: Date): string {
  if (ts === undefined || ts === "") return "";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "" : humanDuration(now.getTime() - t);
}

/** A duration as tkn shows it: `0s`, `12s`, `3m4s`, `1h2m` (status times have whole seconds). */
export function runDuration(startTime: string | undefined, endTime: string | undefined, now: Date): string {
  if (startTime === undefined) return "---";
  const start = Date.parse(startTime);
  const end = endTime !== undefined ? Date.parse(endTime) : now.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) return "---";
  const s = Math.floor(Math.max(0, end - start) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
}

/** The `Succeeded` condition of a run. */
export function succeededOf(obj: KubeObject): Condition | undefined {
  return succeededCondition(obj["status"]);
}

/** tkn's one-word state of a run: `Succeeded`, `Failed(TaskRunTimeout)`, `Cancelled(TaskRunCancelled)`, `Running`… */
export function conditionText(c: Condition | undefined): string {
  if (c === undefined) return "---";
  const word =
    c.status === "True"
      ? "Succeeded"
      : c.status === "False"
        ? "Failed"
        : c.reason === "Pending"
          ? "Pending"
          : "Running";
  if (c.reason === undefined || c.reason === "" || c.reason === word) return word;
  if (CANCELLED_REASONS.has(c.reason)) return `Cancelled(${c.reason})`;
  return `${word}(${c.reason})`;
}

/** Whether a run's `Succeeded` condition is final. */
export function isFinished(obj: KubeObject): boolean {
  const c = succeededOf(obj);
  return c !== undefined && c.status !== "Unknown";
}
