/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns
 * `kubectl get` shows. Tekton kinds use their CRDs' `additionalPrinterColumns` from the kinds
 * registry (others: Age); core kinds use the API server's usual columns. Date columns are rendered as ages, as the API server does.
 *
 * @module
 */

import type { PrinterColumn } from "../api/kinds.js";
import { humanDuration } from "../api/time.js";
import type { KubeObject } from "../api/types.js";
import type { ServedResource } from "./resources.js";

/** A Table column definition. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** What a row's `object` holds (`includeObject`). */
export const IncludeObject = { None: "None", Partial: "Partial", Object: "Object" } as const;
/** One of {@link IncludeObject}'s values. */
export type IncludeObject = (typeof IncludeObject)[keyof typeof IncludeObject];

type Cell = string | number;
interface ColumnSpec {
  column: TableColumn;
  cell: (obj: KubeObject, now: Date) => Cell;
}

function age(ts: unknown, now: Date): string {
  if (typeof ts !== "string" || ts === "") return "<unknown>";
  return humanDuration(now.getTime() - new Date(ts).getTime());
}

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function col(
  name: string,
  type: string,
  cell: ColumnSpec["cell"],
  opts: { format?: string; priority?: number } = {},
): ColumnSpec {
  return {
    column: { name, type, format: opts.format ?? "", description: name, priority: opts.priority ?? 0 },
    cell,
  };
}

const NAME = col("Name", "string", (o) => o.metadata.name ?? "", { format: "name" });
const AGE = col("Age", "date", (o, now) => age(o.metadata.creationTimestamp, now));

const text = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/** Evaluates a printer column's JSONPath: `.a.b`, `[0]` and `[?(@.field=="value")]` segments. */
function evalJsonPath(obj: unknown, jsonPath: string): unknown {
  let cur = obj;
  for (const seg of jsonPath.match(/\.[^.[]+|\[\d+\]|\[\?\(@\.[^=]+=="[^"]*"\)\]/g) ?? []) {
    const filter = /^\[\?\(@\.([^=]+)=="([^"]*)"\)\]$/.exec(seg);
    const index = /^\[(\d+)\]$/.exec(seg);
    if (index !== null) {
      cur = Array.isArray(cur) ? cur[Number(index[1])] : undefined;
    } else if (filter !== null) {
      cur = Array.isArray(cur) ? cur.find((item) => get(item, filter[1]!) === filter[2]) : undefined;
    } else {
      cur = get(cur, seg.slice(1));
    }
  }
  return cur;
}

function printerColumn(c: PrinterColumn): ColumnSpec {
  return col(c.name, c.type, (o, now) => {
    const v = evalJsonPath(o, c.jsonPath);
    if (c.type !== "date") return text(v);
    return typeof v === "string" && v !== "" ? age(v, now) : "";
  });
}

function podReady(o: KubeObject): string {
  const statuses = (get(o, "status.containerStatuses") as Array<{ ready?: boolean }> | undefined) ?? [];
  return `${statuses.filter((s) => s.ready).length}/${statuses.length}`;
}

function podStatus(o: KubeObject): string {
  const statuses =
    (get(o, "status.containerStatuses") as
      Array<{ state?: Record<string, { reason?: string }> }> | undefined) ?? [];
  const phase = text(get(o, "status.phase"));
  if (phase === "Succeeded") return "Completed";
  if (phase === "Failed") return "Error";
  const waiting = statuses.find((s) => s.state?.["waiting"]?.reason)?.state?.["waiting"]?.reason;
  return phase === "Pending" && waiting ? waiting : phase;
}

function countKeys(path: string) {
  return (o: KubeObject): number => {
    const v = get(o, path);
    return v !== null && typeof v === "object" ? Object.keys(v).length : 0;
  };
}

/** The API server's built-in printers of core kinds. */
const CORE_COLUMNS: Record<string, ColumnSpec[]> = {
  "/pods": [
    NAME,
    col("Ready", "string", podReady),
    col("Status", "string", podStatus),
    col("Restarts", "integer", () => 0),
    AGE,
  ],
  "/namespaces": [NAME, col("Status", "string", (o) => text(get(o, "status.phase"))), AGE],
  "/configmaps": [
    NAME,
    col("Data", "integer", (o) => countKeys("data")(o) + countKeys("binaryData")(o)),
    AGE,
  ],
  "/secrets": [
    NAME,
    col("Type", "string", (o) => text(get(o, "type"))),
    col("Data", "integer", countKeys("data")),
    AGE,
  ],
  "/serviceaccounts": [
    NAME,
    col("Secrets", "integer", (o) => (get(o, "secrets") as unknown[] | undefined)?.length ?? 0),
    AGE,
  ],
  "/persistentvolumeclaims": [NAME, col("Status", "string", (o) => text(get(o, "status.phase"))), AGE],
  "/events": [
    col("Last Seen", "string", (o, now) =>
      age(get(o, "lastTimestamp") ?? get(o, "eventTime") ?? o.metadata.creationTimestamp, now),
    ),
    col("Type", "string", (o) => text(get(o, "type"))),
    col("Reason", "string", (o) => text(get(o, "reason"))),
    col(
      "Object",
      "string",
      (o) => `${text(get(o, "involvedObject.kind")).toLowerCase()}/${text(get(o, "involvedObject.name"))}`,
    ),
    col("Message", "string", (o) => text(get(o, "message"))),
  ],
};

function columnsFor(s: ServedResource): ColumnSpec[] {
  const crd = s.info.printerColumns;
  if (crd !== undefined) return [NAME, ...crd.map(printerColumn)];
  return CORE_COLUMNS[`${s.group}/${s.resource}`] ?? [NAME, AGE];
}

function rowObject(obj: KubeObject, include: IncludeObject): Record<string, unknown> | undefined {
  if (include === IncludeObject.None) return undefined;
  if (include === IncludeObject.Object) return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

/** A `meta.k8s.io/v1` Table of objects. */
export function toTable(
  s: ServedResource,
  objects: KubeObject[],
  opts: { now: Date; include: IncludeObject; resourceVersion?: string; continue?: string },
): Record<string, unknown> {
  const columns = columnsFor(s);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.continue !== undefined ? { continue: opts.continue } : {}),
    },
    columnDefinitions: columns.map((c) => c.column),
    rows: objects.map((o) => {
      const object = rowObject(o, opts.include);
      return { cells: columns.map((c) => c.cell(o, opts.now)), ...(object !== undefined ? { object } : {}) };
    }),
  };
}

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Parses `includeObject`. */
export function includeObjectOf(value: string | undefined): IncludeObject {
  return value === IncludeObject.None || value === IncludeObject.Object ? value : IncludeObject.Partial;
}
