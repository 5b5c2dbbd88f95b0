/** The closing table of `tektite run`: one row per run with its outcome and duration. */
import { succeededCondition } from "../../api/conditions.js";
import type { Condition, KubeObject } from "../../api/types.js";

interface RunLike extends KubeObject {
  status?: { conditions?: Condition[]; startTime?: string; completionTime?: string };
}

export function durationText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}

function row(run: RunLike, measuredMs: number | undefined): string[] {
  const c = succeededCondition(run.status);
  const start = run.status?.startTime ? Date.parse(run.status.startTime) : undefined;
  const end = run.status?.completionTime ? Date.parse(run.status.completionTime) : undefined;
  const ms = measuredMs ?? (start !== undefined && end !== undefined ? end - start : undefined);
  const duration = ms !== undefined ? durationText(ms) : "-";
  return [`${run.kind}/${run.metadata.name ?? ""}`, c?.status ?? "Unknown", c?.reason ?? "", duration];
}

/** A plain, aligned table: RUN, SUCCEEDED, REASON, DURATION (measured when known, else from status times). */
export function summaryTable(runs: RunLike[], durationsMs: Array<number | undefined> = []): string {
  const rows = [["RUN", "SUCCEEDED", "REASON", "DURATION"], ...runs.map((r, i) => row(r, durationsMs[i]))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3)))
          .join("")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

/** On a terminal, one line per run as it finishes: `✔ TaskRun/x Succeeded (1.2s)`. */
export function progressLine(run: RunLike, ms: number): string {
  const c = succeededCondition(run.status);
  const mark =
    c?.status === "True"
      ? "\u001b[32m✔\u001b[0m"
      : c?.status === "False"
        ? "\u001b[31m✘\u001b[0m"
        : "\u001b[33m…\u001b[0m";
  return `${mark} ${run.kind}/${run.metadata.name ?? ""} ${c?.reason ?? "Unknown"} (${durationText(ms)})\n`;
}

/** The failure messages worth showing under the table. */
export function failureDetails(runs: RunLike[]): string {
  let out = "";
  for (const run of runs) {
    const c = succeededCondition(run.status);
    if (c?.status === "False" && c.message) out += `${run.kind}/${run.metadata.name ?? ""}: ${c.message}\n`;
  }
  return out;
}
