/**
 * In-memory {@link Store} for the one-shot `tektite run`. Objects are kept as JSON text (so no
 * caller can alias stored state); the last `historySize` events are kept for watch replay.
 *
 * @module
 */

import { DEFAULT_HISTORY_BYTES, HistoryBudget } from "./history-budget.js";
import type { KubeObject } from "../api/types.js";
import type { ChangeRecord } from "./hub.js";
import type { ScanQuery, StoreBackend, StoredRow } from "./backend.js";
import { DEFAULT_HISTORY_SIZE, KubeStore } from "./kubestore.js";
import { type ListPosition, compareKeys } from "./objects.js";
import { matchesFieldsOfStored, matchesLabels } from "./selectors.js";
import type { Store, StoreOptions } from "./store.js";

interface Entry extends ListPosition {
  json: string;
  labels: Record<string, string> | undefined;
}

interface StoredEvent {
  rv: number;
  id: string;
  namespace: string;
  name: string;
  type: ChangeRecord["type"];
  json: string;
  prev: string | undefined;
}

const key = (namespace: string, name: string): string => `${namespace}\u0000${name}`;

class MemoryBackend implements StoreBackend {
  private readonly types = new Map<string, Map<string, Entry>>();
  private readonly history: StoredEvent[] = [];
  private rv = 0;
  private compacted = 0;

  private readonly budget: HistoryBudget;

  constructor(historySize: number, historyBytes: number) {
    this.budget = new HistoryBudget(historySize, historyBytes);
  }

  currentRv(): number {
    return this.rv;
  }

  compactedRv(): number {
    return this.compacted;
  }

  read(id: string, namespace: string, name: string): KubeObject | undefined {
    const e = this.types.get(id)?.get(key(namespace, name));
    return e ? (JSON.parse(e.json) as KubeObject) : undefined;
  }

  scan(id: string, q: ScanQuery): StoredRow[] {
    const entries = [...(this.types.get(id)?.values() ?? [])].filter(
      (e) =>
        (q.namespace === undefined || e.namespace === q.namespace) &&
        (q.after === undefined || compareKeys(e, q.after) > 0) &&
        matchesLabels(q.filter.labels, e.labels),
    );
    entries.sort(compareKeys);
    const out: StoredRow[] = [];
    for (const e of entries) {
      if (q.limit !== undefined && out.length >= q.limit) break;
      if (matchesFieldsOfStored(q.filter.fields, e, e.json))
        out.push({ namespace: e.namespace, name: e.name, json: e.json });
    }
    return out;
  }

  scanBytes(id: string, q: ScanQuery): StoredRow<Buffer>[] {
    return this.scan(id, q).map((r) => ({ namespace: r.namespace, name: r.name, json: Buffer.from(r.json) }));
  }

  commit(rec: ChangeRecord): void {
    let objects = this.types.get(rec.id);
    if (!objects) {
      objects = new Map();
      this.types.set(rec.id, objects);
    }
    const json = rec.json;
    const k = key(rec.namespace, rec.name);
    // `prev` is the stored object as read before the change: its text is the entry's (no re-encoding).
    const prev = rec.prev === undefined ? undefined : (objects.get(k)?.json ?? JSON.stringify(rec.prev));
    if (rec.type === "DELETED") objects.delete(k);
    else
      objects.set(k, { namespace: rec.namespace, name: rec.name, json, labels: rec.object.metadata.labels });
    this.history.push({
      rv: rec.rv,
      id: rec.id,
      namespace: rec.namespace,
      name: rec.name,
      type: rec.type,
      json,
      prev,
    });
    this.rv = rec.rv;
    const dropThrough = this.budget.add(rec.rv, json.length + (prev?.length ?? 0));
    if (dropThrough > 0) {
      let n = 0;
      while (n < this.history.length && this.history[n]!.rv <= dropThrough) n++;
      this.history.splice(0, n);
      this.compacted = Math.max(this.compacted, dropThrough);
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  eventsAfter(id: string, rv: number): ChangeRecord[] {
    const out: ChangeRecord[] = [];
    for (const e of this.history) {
      if (e.rv <= rv || e.id !== id) continue;
      const rec: ChangeRecord = {
        rv: e.rv,
        id: e.id,
        namespace: e.namespace,
        name: e.name,
        type: e.type,
        object: JSON.parse(e.json) as KubeObject,
        json: e.json,
      };
      if (e.prev !== undefined) rec.prev = JSON.parse(e.prev) as KubeObject;
      out.push(rec);
    }
    return out;
  }

  close(): void {
    this.types.clear();
    this.history.length = 0;
  }
}

/** Opens an empty in-memory store. */
export function openMemoryStore(opts: StoreOptions = {}): Store {
  return new KubeStore(
    new MemoryBackend(opts.historySize ?? DEFAULT_HISTORY_SIZE, opts.historyBytes ?? DEFAULT_HISTORY_BYTES),
    opts,
  );
}
