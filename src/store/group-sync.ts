/**
 * Group commit for the SQLite store: commits do not wait for the disk one by one (an fsync is
 * ~4 ms here, which capped the server at a few hundred writes a second); instead one `fsync` of
 * the write-ahead log, off the event loop, covers every commit made before it started. A commit
 * is durable against a crash of the process at once (it is in the WAL), and against a crash of
 * the machine once the next sync has run — callers that acknowledge a write (the API server)
 * wait for that with {@link GroupSync.flush}.
 *
 * @module
 */

import { closeSync, fsync, fsyncSync, openSync } from "node:fs";

export class GroupSync {
  private fd: number | undefined;
  /** Commits since the last sync started. */
  private dirty = false;
  private running = false;
  private scheduled = false;
  private closed = false;
  private waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  /** @param walFile - the database's `-wal` file (it exists while the database is open in WAL mode). */
  constructor(private readonly walFile: string) {}

  /** Records that a commit happened: a sync will follow soon. */
  committed(): void {
    if (this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  /** Resolves once every commit made so far is on stable storage. */
  flush(): Promise<void> {
    if (this.closed || (!this.dirty && !this.running)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // After the current turn, so that its commits share the sync.
    setImmediate(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    if (this.closed) return;
    const batch = this.waiting;
    this.waiting = [];
    if (!this.dirty) {
      for (const w of batch) w.resolve();
      return;
    }
    this.dirty = false;
    this.running = true;
    this.fd ??= openSync(this.walFile, "r");
    const fd = this.fd;
    fsync(fd, (err) => {
      this.running = false;
      for (const w of batch) {
        if (err) w.reject(err);
        else w.resolve();
      }
      if (this.closed) closeSync(fd);
      else if (this.dirty || this.waiting.length > 0) this.schedule();
    });
  }

  /** Syncs what is left, synchronously, and releases the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd === undefined && this.dirty) this.fd = openSync(this.walFile, "r");
    if (this.fd !== undefined) {
      fsyncSync(this.fd);
      // An fsync still running closes the file when it is done.
      if (!this.running) closeSync(this.fd);
    }
    this.dirty = false;
    for (const w of this.waiting) w.resolve();
    this.waiting = [];
  }
}
