/**
 * Watch fan-out shared by the store implementations: translates committed change records into
 * per-watcher events (honouring namespace and selectors, with selector transitions turned into
 * ADDED/DELETED as the Kubernetes watch cache does) and delivers them through one ordered queue.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { type ObjectFilter, matchesFilter } from "./selectors.js";
import {
  type ResourceType,
  WatchEventType,
  type WatchEvent,
  type WatchListener,
  apiVersionOf,
} from "./store.js";

/** A committed change, as kept in the event history. */
export interface ChangeRecord {
  rv: number;
  /** `resourceId` of the object's type. */
  id: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
  type: typeof WatchEventType.Added | typeof WatchEventType.Modified | typeof WatchEventType.Deleted;
  /** The object after the change (for DELETED: the deleted object, carrying the deletion's rv). */
  object: KubeObject;
  /** `object` as JSON text: what is stored, and what each watcher gets its own copy from. */
  json: string;
  /** For MODIFIED: the object before the change (to detect selector transitions). */
  prev?: KubeObject;
}

/** One registered watch. */
export interface Watcher {
  id: string;
  type: ResourceType;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  filter: ObjectFilter;
  bookmarks: boolean;
  listener: WatchListener<KubeObject>;
  active: boolean;
}

/**
 * An event waiting for delivery: the object as JSON text (each delivery parses its own copy, so
 * nothing is deep-copied per watcher in advance) or, for a BOOKMARK, the object itself.
 */
export type QueuedEvent =
  { type: WatchEventType; json: string } | { type: WatchEventType; object: KubeObject };

/** The event a watcher should see for a change, or undefined when it should see none. */
export function translate(w: Watcher, rec: ChangeRecord): QueuedEvent | undefined {
  if (rec.id !== w.id) return undefined;
  if (w.namespace !== undefined && rec.namespace !== w.namespace) return undefined;
  const cur = matchesFilter(w.filter, rec.object);
  const as = (type: WatchEventType): QueuedEvent => ({ type, json: rec.json });
  if (rec.type === WatchEventType.Added || rec.type === WatchEventType.Deleted)
    return cur ? as(rec.type) : undefined;
  const before = rec.prev === undefined ? cur : matchesFilter(w.filter, rec.prev);
  if (cur && before) return as(WatchEventType.Modified);
  if (cur) return as(WatchEventType.Added);
  if (before) return as(WatchEventType.Deleted);
  return undefined;
}

/** A BOOKMARK event object for a type at a version. */
export function bookmarkObject(type: ResourceType, rv: number): KubeObject {
  return { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(rv) } };
}

function delivered(ev: QueuedEvent): WatchEvent {
  return { type: ev.type, object: "json" in ev ? (JSON.parse(ev.json) as KubeObject) : ev.object };
}

/** Registered watchers plus an ordered, non-reentrant delivery queue. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private queue: Array<{ w: Watcher; ev: QueuedEvent }> = [];
  private draining = false;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Registers a watcher (its initial events must be enqueued first). */
  add(w: Watcher): () => void {
    this.watchers.add(w);
    return () => {
      w.active = false;
      this.watchers.delete(w);
    };
  }

  /** Queues one event for one watcher (delivered by {@link WatchHub.drain}). */
  enqueue(w: Watcher, ev: QueuedEvent): void {
    this.queue.push({ w, ev });
  }

  /** Queues a committed change for every interested watcher and delivers. */
  publish(rec: ChangeRecord): void {
    for (const w of this.watchers) {
      const ev = translate(w, rec);
      if (ev) this.enqueue(w, ev);
    }
    this.drain();
  }

  /** Queues a BOOKMARK at `rv` for every watcher that asked for bookmarks and delivers. */
  bookmark(rv: number): void {
    for (const w of this.watchers) {
      if (w.bookmarks) this.enqueue(w, { type: WatchEventType.Bookmark, object: bookmarkObject(w.type, rv) });
    }
    this.drain();
  }

  /** Delivers queued events in order; a call made during delivery returns at once. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const item = this.queue[i];
        if (item === undefined || !item.w.active) continue;
        try {
          item.w.listener(delivered(item.ev));
        } catch (error) {
          item.w.active = false;
          this.watchers.delete(item.w);
          this.onListenerError(error);
        }
      }
    } finally {
      this.queue = [];
      this.draining = false;
    }
  }

  /** Stops every watcher. */
  closeAll(): void {
    for (const w of this.watchers) w.active = false;
    this.watchers.clear();
    this.queue = [];
  }
}
