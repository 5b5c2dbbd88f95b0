/**
 * Read snapshots of the SQLite store: extra connections to the same database, each reading one
 * scan at a time. A scan started on one keeps SQLite's read transaction open, so it goes on
 * seeing the database as it was when it started while the store's own connection keeps
 * committing (WAL mode). The server reads a large list this way in pieces, giving the event loop
 * back between them, instead of holding the whole answer.
 *
 * @module
 */

import type Database from "better-sqlite3";
import type { RowSnapshot, ScanQuery } from "./backend.js";
import { type ScanStatements, rowMatches, scanRows, scanStatements } from "./sqlite-scans.js";

/** Connections kept open between snapshots (more are opened while more snapshots are read at once). */
const IDLE_READERS = 2;

interface Reader {
  db: Database.Database;
  scans: ScanStatements<string>;
  /** Just the objects' texts, for a scan without selectors (no row objects to build). */
  texts: {
    all: Database.Statement<[string], string>;
    ns: Database.Statement<[string, string], string>;
  };
}

/** The JSON texts of `q`'s matching objects, in list order. */
function* matchingTexts(reader: Reader, id: string, q: ScanQuery): Generator<string, void, undefined> {
  if (q.filter.labels.length === 0 && q.filter.fields.length === 0 && q.after === undefined) {
    yield* q.namespace === undefined
      ? reader.texts.all.iterate(id)
      : reader.texts.ns.iterate(id, q.namespace);
    return;
  }
  for (const row of scanRows(reader.scans, id, q)) if (rowMatches(row, q)) yield row.json;
}

export class SnapshotReaders {
  private readonly idle: Reader[] = [];
  private readonly all = new Set<Reader>();
  /** Ends the scans still being read (the store is closing). */
  private readonly abortOpen = new Set<() => void>();
  private closed = false;

  /** @param connect - opens a new connection to the store's database. */
  constructor(private readonly connect: () => Database.Database) {}

  /** A scan of type `id` at the database's state of now. */
  take(id: string, q: ScanQuery): RowSnapshot {
    if (this.closed) throw new Error("store is closed");
    const reader = this.idle.pop() ?? this.open();
    const rows = matchingTexts(reader, id, q);
    let state: "reading" | "done" | "aborted" = "reading";
    const end = (next: "done" | "aborted"): void => {
      if (state !== "reading") return;
      state = next;
      this.abortOpen.delete(abort);
      rows.return?.();
      if (!this.closed && this.idle.length < IDLE_READERS) this.idle.push(reader);
      else this.retire(reader);
    };
    const abort = (): void => end("aborted");
    this.abortOpen.add(abort);
    // The first step begins the read transaction: from here on this scan sees only what is committed now.
    let first: IteratorResult<string> | undefined;
    try {
      first = rows.next();
    } catch (err) {
      end("done");
      throw err;
    }
    return {
      next: (max: number): string[] => {
        const out: string[] = [];
        while (state === "reading" && out.length < max) {
          const step = first ?? rows.next();
          first = undefined;
          if (step.done === true) end("done");
          else out.push(step.value);
        }
        // Never a short list passed off as whole.
        if (state === "aborted") throw new Error("store is closed");
        return out;
      },
      close: () => end("done"),
    };
  }

  private open(): Reader {
    const db = this.connect();
    db.pragma("query_only = 1");
    const base = "SELECT json FROM objects WHERE type = ?";
    const order = " ORDER BY namespace, name";
    const reader: Reader = {
      db,
      scans: scanStatements<string>(db, "json"),
      texts: {
        all: db.prepare<[string], string>(base + order).pluck(),
        ns: db.prepare<[string, string], string>(base + " AND namespace = ?" + order).pluck(),
      },
    };
    this.all.add(reader);
    return reader;
  }

  private retire(reader: Reader): void {
    this.all.delete(reader);
    if (reader.db.open) reader.db.close();
  }

  /** Closes every connection; a scan still being read fails on its next read. */
  close(): void {
    this.closed = true;
    for (const abort of [...this.abortOpen]) abort();
    this.idle.length = 0;
    for (const reader of [...this.all]) this.retire(reader);
  }
}
