/**
 * Watch fan-out shared by the store implementations: translates committed change records into
 * per-watcher events (honouring namespace and selectors, with selector transitions turned into
 * ADDED/DELETED as the Kubernetes watch cache does) and delivers them through one ordered queue.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { clone } from "./objects.js";
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

/** The event a watcher should see for a change, or undefined when it should see none. */
export function translate(w: Watcher, rec: ChangeRecord): WatchEvent | undefined {
  if (rec.id !== w.id) return undefined;
  if (w.namespace !== undefined && rec.namespace !== w.namespace) return undefined;
  const cur = matchesFilter(w.filter, rec.object);
  if (rec.type === WatchEventType.Added) return cur ? { type: rec.type, object: rec.object } : undefined;
  if (rec.type === WatchEventType.Deleted) return cur ? { type: rec.type, object: rec.object } : undefined;
  const before = rec.prev === undefined ? cur : matchesFilter(w.filter, rec.prev);
  if (cur && before) return { type: WatchEventType.Modified, object: rec.object };
  if (cur) return { type: WatchEventType.Added, object: rec.object };
  if (before) return { type: WatchEventType.Deleted, object: rec.object };
  return undefined;
}

/** A BOOKMARK event object for a type at a version. */
export function bookmarkObject(type: ResourceType, rv: number): KubeObject {
  return { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(rv) } };
}

/** Registered watchers plus an ordered, non-reentrant delivery queue. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private queue: Array<{ w: Watcher; ev: WatchEvent }> = [];
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
  enqueue(w: Watcher, ev: WatchEvent): void {
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
          item.w.listener({ type: item.ev.type, object: clone(item.ev.object) });
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
