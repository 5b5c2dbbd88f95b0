/**
 * SQLite {@link Store} for `tektite serve`: `<dataDir>/tektite.db`, WAL journal,
 * `synchronous=NORMAL` plus a group sync of the WAL (every committed write — status transitions
 * included — survives `kill -9` at once and a machine crash once {@link Store.flush} resolves). One process owns a data directory (the resourceVersion counter is cached in memory).
 *
 * Schema:
 * - `meta(key, value)`: `rv` (latest resourceVersion), `compacted` (events up to it dropped), `schema`.
 * - `objects(type, namespace, name, rv, labels, json)`, primary key (type, namespace, name) —
 *   the order lists are served in; `labels` is the labels JSON so selectors are checked before
 *   the object is parsed.
 * - `events(rv, type, namespace, name, event, json, prev)`: the last `historySize` changes, for
 *   watch replay (also after a restart); index (type, rv).
 *
 * @module
 */

import { DEFAULT_HISTORY_BYTES, HistoryBudget } from "./history-budget.js";
import { GroupSync } from "./group-sync.js";
import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";

/** The native module is loaded on first use, so that `tektite run` (memory store) never pays for it. */
const loadDatabase = (): typeof Database =>
  createRequire(import.meta.url)("better-sqlite3") as typeof Database;
import type { KubeObject } from "../api/types.js";
import type { ChangeRecord } from "./hub.js";
import type { RowSnapshot, ScanQuery, StoreBackend, StoredRow } from "./backend.js";
import { DEFAULT_HISTORY_SIZE, KubeStore } from "./kubestore.js";
import { type ScanStatements, labelsMatch, scanRows, scanStatements } from "./sqlite-scans.js";
import { matchesFieldsOfStored } from "./selectors.js";
import { SnapshotReaders } from "./sqlite-snapshots.js";
import type { Store, StoreOptions } from "./store.js";

const SCHEMA_VERSION = 1;
const PAGE_SIZE = 16384;
/**
 * SQLite's page cache per connection, in KiB (better-sqlite3 builds SQLite with 16 MiB, which a
 * scan of every stored run fills and malloc then keeps): enough for the b-tree's inner pages and
 * the pages being written; the rest is the OS's file cache.
 */
const STORE_CACHE_KIB = 2048;
/** The page cache of a read snapshot's connection: its scan reads each page once, in order. */
const SNAPSHOT_CACHE_KIB = 512;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS objects (
  type TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  rv INTEGER NOT NULL,
  labels TEXT,
  json TEXT NOT NULL,
  PRIMARY KEY (type, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  event TEXT NOT NULL,
  json TEXT NOT NULL,
  prev TEXT
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, rv);
`;

interface EventRow {
  rv: number;
  type: string;
  namespace: string;
  name: string;
  event: ChangeRecord["type"];
  json: string;
  prev: string | null;
}

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /** File name inside the data directory (default `tektite.db`). */
  fileName?: string;
}

class SqliteBackend implements StoreBackend {
  private readonly db: Database.Database;
  private rv: number;
  private compacted: number;
  private readonly stmts;
  private readonly scans: {
    text: ScanStatements<string>;
    bytes: ScanStatements<Buffer>;
    /** Without the object: for label selectors, checked before the object is read. */
    keys: ScanStatements<null>;
  };
  private readonly budget: HistoryBudget;
  private readonly sync: GroupSync;
  private readonly commitTx: (rec: ChangeRecord) => void;
  private readonly snapshots: SnapshotReaders;

  constructor(file: string, historySize: number, historyBytes: number) {
    const Sqlite = loadDatabase();
    this.db = new Sqlite(file);
    // Takes effect in a new database only: a stored TaskRun (2–4 KB of JSON) then fits in its
    // b-tree page instead of spilling into overflow pages, which lists read one by one.
    this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.db.pragma("journal_mode = WAL");
    // Durability on power loss comes from the group sync of the WAL (see group-sync.ts).
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma(`cache_size = -${STORE_CACHE_KIB}`);
    this.db.exec(SCHEMA);
    this.sync = new GroupSync(`${file}-wal`);
    this.snapshots = new SnapshotReaders(() => {
      const reader = new Sqlite(file);
      reader.pragma("busy_timeout = 5000");
      reader.pragma(`cache_size = -${SNAPSHOT_CACHE_KIB}`);
      return reader;
    });
    const db = this.db;
    this.scans = {
      text: scanStatements(db, "json"),
      bytes: scanStatements(db, "CAST(json AS BLOB)"),
      keys: scanStatements(db, "NULL"),
    };
    this.stmts = {
      getMeta: db.prepare<[string], { value: number }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: db.prepare<[string, number]>("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"),
      read: db.prepare<[string, string, string], { json: string }>(
        "SELECT json FROM objects WHERE type = ? AND namespace = ? AND name = ?",
      ),
      readBytes: db.prepare<[string, string, string], { json: Buffer }>(
        "SELECT CAST(json AS BLOB) AS json FROM objects WHERE type = ? AND namespace = ? AND name = ?",
      ),
      put: db.prepare<[string, string, string, number, string | null, string]>(
        "INSERT OR REPLACE INTO objects (type, namespace, name, rv, labels, json) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      remove: db.prepare<[string, string, string]>(
        "DELETE FROM objects WHERE type = ? AND namespace = ? AND name = ?",
      ),
      addEvent: db.prepare<[number, string, string, string, string, string, string | null]>(
        "INSERT INTO events (rv, type, namespace, name, event, json, prev) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      trim: db.prepare<[number]>("DELETE FROM events WHERE rv <= ?"),
      eventsAfter: db.prepare<[string, number], EventRow>(
        "SELECT rv, type, namespace, name, event, json, prev FROM events WHERE type = ? AND rv > ? ORDER BY rv",
      ),
    };
    const schema = this.stmts.getMeta.get("schema")?.value;
    if (schema !== undefined && schema !== SCHEMA_VERSION) {
      this.db.close();
      throw new Error(`${file}: unsupported store schema version ${schema} (expected ${SCHEMA_VERSION})`);
    }
    if (schema === undefined) this.stmts.setMeta.run("schema", SCHEMA_VERSION);
    this.rv = this.stmts.getMeta.get("rv")?.value ?? 0;
    this.compacted = this.stmts.getMeta.get("compacted")?.value ?? 0;
    this.budget = new HistoryBudget(historySize, historyBytes);
    const retained = db.prepare<[], { rv: number; bytes: number }>(
      "SELECT rv, length(json) + coalesce(length(prev), 0) AS bytes FROM events ORDER BY rv",
    );
    for (const e of retained.iterate()) this.trimThrough(this.budget.add(e.rv, e.bytes));
    this.commitTx = this.db.transaction((rec: ChangeRecord) => this.apply(rec));
  }

  currentRv(): number {
    return this.rv;
  }

  compactedRv(): number {
    return this.compacted;
  }

  read(id: string, namespace: string, name: string): KubeObject | undefined {
    const row = this.stmts.read.get(id, namespace, name);
    return row ? (JSON.parse(row.json) as KubeObject) : undefined;
  }

  /**
   * A scan of whole rows, or with a label selector a scan of keys and labels with each match's
   * object read after (most of a type's objects are then never read).
   */
  private select<J extends string | Buffer>(
    set: ScanStatements<J>,
    readOne: Database.Statement<[string, string, string], { json: J }>,
    id: string,
    q: ScanQuery,
  ): StoredRow<J>[] {
    const out: StoredRow<J>[] = [];
    const byLabels = q.filter.labels.length > 0;
    for (const row of scanRows<J | null>(byLabels ? this.scans.keys : set, id, q)) {
      if (q.limit !== undefined && out.length >= q.limit) break;
      if (!labelsMatch(row, q)) continue;
      const json = row.json ?? readOne.get(id, row.namespace, row.name)?.json;
      if (json !== undefined && matchesFieldsOfStored(q.filter.fields, row, json))
        out.push({ namespace: row.namespace, name: row.name, json });
    }
    return out;
  }

  scan(id: string, q: ScanQuery): StoredRow[] {
    return this.select(this.scans.text, this.stmts.read, id, q);
  }

  scanBytes(id: string, q: ScanQuery): StoredRow<Buffer>[] {
    return this.select(this.scans.bytes, this.stmts.readBytes, id, q);
  }

  snapshot(id: string, q: ScanQuery): RowSnapshot {
    return this.snapshots.take(id, q);
  }

  private apply(rec: ChangeRecord): void {
    const json = rec.json;
    if (rec.type === "DELETED") {
      this.stmts.remove.run(rec.id, rec.namespace, rec.name);
    } else {
      const labels = rec.object.metadata.labels;
      this.stmts.put.run(
        rec.id,
        rec.namespace,
        rec.name,
        rec.rv,
        labels ? JSON.stringify(labels) : null,
        json,
      );
    }
    const prev = rec.prev === undefined ? null : JSON.stringify(rec.prev);
    this.stmts.addEvent.run(rec.rv, rec.id, rec.namespace, rec.name, rec.type, json, prev);
    this.stmts.setMeta.run("rv", rec.rv);
    this.trimThrough(this.budget.add(rec.rv, json.length + (prev?.length ?? 0)));
  }

  private trimThrough(rv: number): void {
    if (rv <= this.compacted) return;
    this.stmts.trim.run(rv);
    this.stmts.setMeta.run("compacted", rv);
    this.compacted = rv;
  }

  commit(rec: ChangeRecord): void {
    this.commitTx(rec);
    this.rv = rec.rv;
    this.sync.committed();
  }

  flush(): Promise<void> {
    return this.sync.flush();
  }

  eventsAfter(id: string, rv: number): ChangeRecord[] {
    return this.stmts.eventsAfter.all(id, rv).map((e) => {
      const rec: ChangeRecord = {
        rv: e.rv,
        id: e.type,
        namespace: e.namespace,
        name: e.name,
        type: e.event,
        object: JSON.parse(e.json) as KubeObject,
        json: e.json,
      };
      if (e.prev !== null) rec.prev = JSON.parse(e.prev) as KubeObject;
      return rec;
    });
  }

  close(): void {
    if (this.db.open) {
      this.snapshots.close();
      this.sync.close();
      this.db.close();
    }
  }
}

/**
 * Opens (creating if needed) the SQLite store in `dataDir`. Reopening continues the
 * resourceVersion sequence and keeps the event history for watch replay.
 */
export function openSqliteStore(dataDir: string, opts: SqliteStoreOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, opts.fileName ?? "tektite.db");
  // SQLite gives the -wal and -shm files the database file's mode: create it owner-only first.
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
  const backend = new SqliteBackend(
    file,
    opts.historySize ?? DEFAULT_HISTORY_SIZE,
    opts.historyBytes ?? DEFAULT_HISTORY_BYTES,
  );
  return new KubeStore(backend, opts);
}
