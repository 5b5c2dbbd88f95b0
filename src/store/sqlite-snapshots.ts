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
import type { RowSnapshot, ScanQuery, StoredRow } from "./kubestore.js";
import {
  type ObjectRow,
  type ScanStatements,
  rowMatches,
  scanRows,
  scanStatements,
  storedRow,
} from "./sqlite-scans.js";

/** Connections kept open between snapshots (more are opened while more snapshots are read at once). */
const IDLE_READERS = 2;

interface Reader {
  db: Database.Database;
  scans: ScanStatements<string>;
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
    const rows = scanRows(reader.scans, id, q);
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
    let first: IteratorResult<ObjectRow<string>> | undefined;
    try {
      first = rows.next();
    } catch (err) {
      end("done");
      throw err;
    }
    return {
      next: (max: number): StoredRow[] => {
        const out: StoredRow[] = [];
        while (state === "reading" && out.length < max) {
          const step = first ?? rows.next();
          first = undefined;
          if (step.done === true) end("done");
          else if (rowMatches(step.value, q)) out.push(storedRow(step.value));
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
    const reader = { db, scans: scanStatements<string>(db, "json") };
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
