/**
 * The rows of a list page: what each column shows for an object, filtering by text, and sorting.
 *
 * @module
 */

import type { KubeObject } from "../../api/types.js";
import { runState, succeededCondition, type RunState } from "./status.js";

/** One row of a list. */
export interface ListRow {
  key: string;
  name: string;
  namespace: string;
  state: RunState;
  reason: string;
  /** What it runs (taskRef, pipelineRef, customRef), when known. */
  ref: string;
  created: string;
  started?: string;
  completed?: string;
  object: KubeObject;
}

/** Columns a list sorts by. */
export const SortKey = {
  Name: "name",
  Status: "status",
  Started: "started",
  Duration: "duration",
} as const;
/** One of {@link SortKey}'s values. */
export type SortKey = (typeof SortKey)[keyof typeof SortKey];

/** A sort order. */
export interface Sort {
  key: SortKey;
  descending: boolean;
}

function refOf(o: KubeObject): string {
  const spec = (o["spec"] ?? {}) as Record<
    string,
    { name?: string; kind?: string; apiVersion?: string } | undefined
  >;
  const ref = spec["taskRef"] ?? spec["pipelineRef"] ?? spec["customRef"] ?? spec["ref"];
  if (ref?.name) return ref.name;
  const custom = (spec["customSpec"] ?? spec["spec"]) as { kind?: string } | undefined;
  if (ref?.kind) return ref.kind;
  if (custom?.kind) return custom.kind;
  if (spec["taskSpec"] || spec["pipelineSpec"]) return "(embedded)";
  return "";
}

/** The row of an object. */
export function rowOf(o: KubeObject): ListRow {
  const status = (o["status"] ?? {}) as { startTime?: string; completionTime?: string };
  const c = succeededCondition(o);
  return {
    key: `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`,
    name: o.metadata.name ?? "",
    namespace: o.metadata.namespace ?? "",
    state: runState(o),
    reason: c?.reason ?? "",
    ref: refOf(o),
    created: o.metadata.creationTimestamp ?? "",
    ...(status.startTime !== undefined ? { started: status.startTime } : {}),
    ...(status.completionTime !== undefined ? { completed: status.completionTime } : {}),
    object: o,
  };
}

/** Whether a row matches a text filter (name, reason, ref or a label, case-insensitive). */
export function matchesText(row: ListRow, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === "") return true;
  if (row.name.toLowerCase().includes(t) || row.reason.toLowerCase().includes(t)) return true;
  if (row.ref.toLowerCase().includes(t)) return true;
  const labels = row.object.metadata.labels ?? {};
  return Object.entries(labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(t));
}

const STATE_ORDER: Readonly<Record<RunState, number>> = {
  running: 0,
  pending: 1,
  failed: 2,
  cancelled: 3,
  succeeded: 4,
};

function durationOf(r: ListRow, now: number): number {
  if (r.started === undefined) return -1;
  const end = r.completed !== undefined ? Date.parse(r.completed) : now;
  return end - Date.parse(r.started);
}

/** Sorts rows (a new array); ties fall back to name. */
export function sortRows(rows: readonly ListRow[], sort: Sort, now: Date): ListRow[] {
  const sign = sort.descending ? -1 : 1;
  const t = now.getTime();
  const value = (r: ListRow): number | string => {
    switch (sort.key) {
      case SortKey.Name:
        return r.name;
      case SortKey.Status:
        return STATE_ORDER[r.state];
      case SortKey.Started:
        return r.started ?? r.created;
      case SortKey.Duration:
        return durationOf(r, t);
    }
  };
  const keyed = rows.map((r) => ({ r, v: value(r) }));
  keyed.sort((a, b) => {
    if (a.v < b.v) return -sign;
    if (a.v > b.v) return sign;
    return a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}
