/**
 * The scans of the SQLite store's `objects` table: the four prepared statements of a type (all or
 * one namespace, from the start or after a key) and the selector checks of their rows, shared by
 * the store's connection and its read snapshots (`sqlite-snapshots.ts`).
 *
 * @module
 */

import type Database from "better-sqlite3";
import type { ScanQuery, StoredRow } from "./backend.js";
import { matchesFieldsOfStored, matchesLabels } from "./selectors.js";

/** A row of a scan: the key, the labels JSON (read before the object, to check selectors) and the object. */
export interface ObjectRow<J> {
  namespace: string;
  name: string;
  labels: string | null;
  json: J;
}

/** The four scans of a type (all or one namespace, from the start or after a key). */
export interface ScanStatements<J> {
  all: Database.Statement<[string], ObjectRow<J>>;
  ns: Database.Statement<[string, string], ObjectRow<J>>;
  allAfter: Database.Statement<[string, string, string], ObjectRow<J>>;
  nsAfter: Database.Statement<[string, string, string], ObjectRow<J>>;
}

/** Scans reading the object as `json`: the column itself, or e.g. `CAST(json AS BLOB)` (its UTF-8 bytes, never decoded). */
export function scanStatements<J>(db: Database.Database, json: string): ScanStatements<J> {
  const base = `SELECT namespace, name, labels, ${json} AS json FROM objects WHERE type = ?`;
  const order = " ORDER BY namespace, name";
  return {
    all: db.prepare(base + order),
    ns: db.prepare(base + " AND namespace = ?" + order),
    allAfter: db.prepare(base + " AND (namespace, name) > (?, ?)" + order),
    nsAfter: db.prepare(base + " AND namespace = ? AND name > ?" + order),
  };
}

/** The rows of type `id` in list order from `q`'s namespace and position (selectors not checked). */
export function scanRows<J>(
  set: ScanStatements<J>,
  id: string,
  q: ScanQuery,
): IterableIterator<ObjectRow<J>> {
  if (q.after === undefined) {
    return q.namespace === undefined ? set.all.iterate(id) : set.ns.iterate(id, q.namespace);
  }
  if (q.namespace === undefined) return set.allAfter.iterate(id, q.after.namespace, q.after.name);
  if (q.after.namespace > q.namespace) return [][Symbol.iterator]();
  const after = q.after.namespace < q.namespace ? "" : q.after.name;
  return after === "" ? set.ns.iterate(id, q.namespace) : set.nsAfter.iterate(id, q.namespace, after);
}

/** Whether a row passes `q`'s label selector (true when there is none). */
export function labelsMatch(row: ObjectRow<unknown>, q: ScanQuery): boolean {
  if (q.filter.labels.length === 0) return true;
  const labels = row.labels === null ? undefined : (JSON.parse(row.labels) as Record<string, string>);
  return matchesLabels(q.filter.labels, labels);
}

/** Whether a row passes `q`'s label and field selectors. */
export function rowMatches<J extends string | Buffer>(row: ObjectRow<J>, q: ScanQuery): boolean {
  return labelsMatch(row, q) && matchesFieldsOfStored(q.filter.fields, row, row.json);
}

/** The key and object of a matching row. */
export function storedRow<J>(row: ObjectRow<J>): StoredRow<J> {
  return { namespace: row.namespace, name: row.name, json: row.json };
}
