/**
 * What a storage backend (memory or SQLite) provides to {@link KubeStore}: reads, ordered scans,
 * read snapshots and durable commits of change records. The Kubernetes semantics live in
 * `kubestore.ts`, written once over this contract.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import type { ChangeRecord } from "./hub.js";
import type { ListPosition } from "./objects.js";
import type { ObjectFilter } from "./selectors.js";

/** A scan request to a backend. */
export interface ScanQuery {
  /** undefined: all namespaces. */
  namespace: string | undefined;
  /** Return only objects strictly after this position. */
  after: ListPosition | undefined;
  filter: ObjectFilter;
  /** Maximum number of matching objects to return (undefined: all). */
  limit: number | undefined;
}

/** A stored object as a scan returns it: its key and its JSON (text, or UTF-8 bytes). */
export interface StoredRow<J = string> {
  namespace: string;
  name: string;
  json: J;
}

/** A scan read in pieces from the state of the store when it was taken (see {@link StoreBackend.snapshot}). */
export interface RowSnapshot {
  /** The JSON texts of up to `max` further matching objects; none at the end (the snapshot is then released). */
  next(max: number): string[];
  /** Releases the snapshot before its end; idempotent. */
  close(): void;
}

/** Storage primitives an implementation provides; all objects returned must be fresh copies. */
export interface StoreBackend {
  /** Latest committed resourceVersion (0 for an empty store). */
  currentRv(): number;
  /** Events with rv ≤ this are no longer retained (watch/continue from before it ⇒ 410). */
  compactedRv(): number;
  read(id: string, namespace: string, name: string): KubeObject | undefined;
  /** Matching objects of a type ordered by (namespace, name), as stored (see {@link matchesFieldsOfStored}). */
  scan(id: string, query: ScanQuery): StoredRow[];
  /** {@link StoreBackend.scan} with each object as its UTF-8 bytes. */
  scanBytes(id: string, query: ScanQuery): StoredRow<Buffer>[];
  /**
   * {@link StoreBackend.scan} (without a limit) read in pieces, seeing only what is
   * committed when it is called, however many writes come between the pieces. Optional: without
   * it the whole scan is read at once.
   */
  snapshot?(id: string, query: ScanQuery): RowSnapshot;
  /** Durably applies a change (rv = currentRv() + 1): writes or removes the object, records the event, trims history. */
  commit(rec: ChangeRecord): void;
  /** Resolves once every commit so far is on stable storage (at once where nothing is stored). */
  flush(): Promise<void>;
  /** Retained events of a type with rv > `rv`, oldest first. */
  eventsAfter(id: string, rv: number): ChangeRecord[];
  close(): void;
}
