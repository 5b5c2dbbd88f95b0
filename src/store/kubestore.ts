/**
 * The Kubernetes semantics of {@link Store}, written once over a small {@link StoreBackend}
 * (memory or SQLite) that only reads, scans and durably commits change records.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import type { KubeObject } from "../api/types.js";
import {
  AlreadyExistsError,
  ConflictError,
  GoneError,
  InvalidError,
  NotFoundError,
  TooLargeError,
} from "./errors.js";
import { MAX_OBJECT_BYTES } from "./history-budget.js";
import { type ChangeRecord, WatchHub, bookmarkObject, translate } from "./hub.js";
import {
  type ListPosition,
  clone,
  decodeContinue,
  deepEqual,
  effectiveNamespace,
  encodeContinue,
  generatedName,
  parseResourceVersion,
  qualifiedKind,
  timestamp,
  validateNames,
} from "./objects.js";
import type { RowSnapshot, ScanQuery, StoreBackend, StoredRow } from "./backend.js";
import { statusWriteOf, updateOf } from "./update-merge.js";
import { compileFilter } from "./selectors.js";
import {
  type DeleteOptions,
  type EncodedList,
  type EncodedListStream,
  type ListOptions,
  type ListResult,
  type ResourceType,
  type StopWatch,
  type Store,
  type StoreOptions,
  type UpdateOptions,
  type WatchListener,
  type WatchOptions,
  WatchEventType,
  apiVersionOf,
  resourceId,
} from "./store.js";

/** Default number of events kept for watch replay ({@link StoreOptions.historySize}). */
export const DEFAULT_HISTORY_SIZE = 10_000;

/** Default for {@link StoreOptions.onListenerError}: never lose the error. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** The object's JSON text; refuses one over {@link MAX_OBJECT_BYTES}, or too large to serialise at all. */
function encodeChecked(obj: KubeObject, check: boolean): string {
  let json: string;
  try {
    json = JSON.stringify(obj);
  } catch (err) {
    if (err instanceof RangeError) throw new TooLargeError();
    throw err;
  }
  // Bytes are at most 3 per UTF-16 unit: count them only when that bound is over.
  if (check && json.length * 3 > MAX_OBJECT_BYTES && Buffer.byteLength(json) > MAX_OBJECT_BYTES)
    throw new TooLargeError();
  return json;
}

/** A {@link RowSnapshot} over rows already read. */
function wholeScan(rows: StoredRow[]): RowSnapshot {
  let at = 0;
  return {
    next: (max) => {
      const piece = rows.slice(at, at + max).map((r) => r.json);
      at += piece.length;
      return piece;
    },
    close: () => {
      at = rows.length;
    },
  };
}

/** {@link Store} over a {@link StoreBackend}. */
export class KubeStore implements Store {
  private readonly hub: WatchHub;
  private readonly now: () => Date;
  private closed = false;

  constructor(
    private readonly backend: StoreBackend,
    opts: StoreOptions = {},
  ) {
    this.hub = new WatchHub(opts.onListenerError ?? rethrowLater);
    this.now = opts.now ?? (() => new Date());
  }

  private open(): void {
    if (this.closed) throw new Error("store is closed");
  }

  private target(type: ResourceType, name: string): { group: string; resource: string; name: string } {
    return { group: type.group, resource: type.resource, name };
  }

  private commit(type: ResourceType, rec: Omit<ChangeRecord, "rv" | "id" | "json">): KubeObject {
    const rv = this.backend.currentRv() + 1;
    rec.object.metadata.resourceVersion = String(rv);
    const json = encodeChecked(rec.object, rec.type !== WatchEventType.Deleted);
    const full: ChangeRecord = { ...rec, rv, id: resourceId(type), json };
    this.backend.commit(full);
    this.hub.publish(full);
    return JSON.parse(json) as KubeObject;
  }

  create<T extends KubeObject>(type: ResourceType, input: T): T {
    this.open();
    const obj = clone(input) as KubeObject;
    const meta = obj.metadata ?? {};
    const namespace = effectiveNamespace(type, meta.namespace);
    const id = resourceId(type);
    let name = meta.name ?? "";
    if (name === "" && meta.generateName) {
      validateNames(type, generatedName(meta.generateName), type.namespaced ? namespace : undefined);
      for (let attempt = 0; attempt < 8; attempt++) {
        name = generatedName(meta.generateName);
        if (!this.backend.read(id, namespace, name)) break;
      }
    }
    if (name === "") {
      throw new InvalidError(qualifiedKind(type), "", [
        { field: "metadata.name", message: "Required value: name or generateName is required" },
      ]);
    }
    validateNames(type, name, type.namespaced ? namespace : undefined);
    if (this.backend.read(id, namespace, name)) throw new AlreadyExistsError(this.target(type, name));
    const {
      uid: _u,
      resourceVersion: _r,
      generation: _g,
      creationTimestamp: _c,
      deletionTimestamp: _d,
      ...kept
    } = meta;
    obj.metadata = {
      ...kept,
      name,
      ...(type.namespaced ? { namespace } : {}),
      uid: randomUUID(),
      generation: 1,
      creationTimestamp: timestamp(this.now()),
    };
    if (!type.namespaced) delete obj.metadata.namespace;
    if (!obj.apiVersion) obj.apiVersion = apiVersionOf(type);
    if (!obj.kind) obj.kind = type.kind;
    return this.commit(type, { namespace, name, type: WatchEventType.Added, object: obj }) as T;
  }

  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): T | undefined {
    this.open();
    return this.backend.read(resourceId(type), effectiveNamespace(type, namespace), name) as T | undefined;
  }

  list<T extends KubeObject>(type: ResourceType, opts: ListOptions = {}): ListResult<T> {
    const page = this.page(type, opts, (id, q) => this.backend.scan(id, q));
    const result: ListResult<T> = {
      items: page.rows.map((r) => JSON.parse(r.json) as T),
      resourceVersion: page.resourceVersion,
    };
    if (page.continue !== undefined) result.continue = page.continue;
    return result;
  }

  listEncoded(type: ResourceType, opts: ListOptions = {}): EncodedList {
    const page = this.page(type, opts, (id, q) => this.backend.scanBytes(id, q));
    const result: EncodedList = {
      items: page.rows.map((r) => r.json),
      resourceVersion: page.resourceVersion,
    };
    if (page.continue !== undefined) result.continue = page.continue;
    return result;
  }

  streamEncoded(type: ResourceType, opts: ListOptions = {}): EncodedListStream {
    this.open();
    const filter = compileFilter(opts, type.selectableFields);
    const namespace = type.namespaced && opts.namespace ? opts.namespace : undefined;
    const q: ScanQuery = { namespace, after: undefined, filter, limit: undefined };
    const id = resourceId(type);
    const resourceVersion = String(this.backend.currentRv());
    const snapshot = this.backend.snapshot?.(id, q) ?? wholeScan(this.backend.scan(id, q));
    return {
      resourceVersion,
      next: (max) => snapshot.next(max),
      close: () => snapshot.close(),
    };
  }

  /** One page of a list: the rows, the list's resourceVersion and the next page's token. */
  private page<J>(
    type: ResourceType,
    opts: ListOptions,
    scan: (id: string, q: ScanQuery) => StoredRow<J>[],
  ): { rows: StoredRow<J>[]; resourceVersion: string; continue?: string } {
    this.open();
    const filter = compileFilter(opts, type.selectableFields);
    let rv = this.backend.currentRv();
    let after: ListPosition | undefined;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      if (token.rv < this.backend.compactedRv()) {
        throw new GoneError(
          "The provided continue parameter is too old to display a consistent list result. " +
            "You can start a new list without the continue parameter.",
        );
      }
      rv = token.rv;
      after = token.after;
    }
    const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : undefined;
    const namespace = type.namespaced && opts.namespace ? opts.namespace : undefined;
    const rows = scan(resourceId(type), {
      namespace,
      after,
      filter,
      limit: limit === undefined ? undefined : limit + 1,
    });
    if (limit === undefined || rows.length <= limit) return { rows, resourceVersion: String(rv) };
    rows.length = limit;
    const last = rows[limit - 1]!;
    return {
      rows,
      resourceVersion: String(rv),
      continue: encodeContinue(rv, { namespace: last.namespace, name: last.name }),
    };
  }

  update<T extends KubeObject>(type: ResourceType, input: T, opts: UpdateOptions = {}): T {
    this.open();
    const name = input.metadata?.name ?? "";
    if (name === "") {
      throw new InvalidError(qualifiedKind(type), "", [
        { field: "metadata.name", message: "Required value: name is required" },
      ]);
    }
    const namespace = effectiveNamespace(type, input.metadata.namespace);
    const stored = this.backend.read(resourceId(type), namespace, name);
    if (!stored) throw new NotFoundError(this.target(type, name));
    const wantRv = input.metadata.resourceVersion;
    if (wantRv !== undefined && wantRv !== "" && wantRv !== stored.metadata.resourceVersion) {
      throw new ConflictError(this.target(type, name));
    }
    const wantUid = input.metadata.uid;
    if (wantUid !== undefined && wantUid !== "" && wantUid !== stored.metadata.uid) {
      throw new ConflictError(
        this.target(type, name),
        `Precondition failed: UID in precondition: ${wantUid}, UID in object meta: ${stored.metadata.uid ?? ""}`,
      );
    }
    // A status write only reads `input.status`, which `commit` serialises before returning: no copy of the input.
    const next =
      opts.subresource === "status"
        ? statusWriteOf(stored, input)
        : updateOf(type, stored, clone(input) as KubeObject);
    if (deepEqual(next, stored)) return stored as T;
    return this.commit(type, {
      namespace,
      name,
      type: WatchEventType.Modified,
      object: next,
      prev: stored,
    }) as T;
  }

  delete<T extends KubeObject>(
    type: ResourceType,
    ns: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): T {
    this.open();
    const namespace = effectiveNamespace(type, ns);
    const stored = this.backend.read(resourceId(type), namespace, name);
    if (!stored) throw new NotFoundError(this.target(type, name));
    if (opts.resourceVersion !== undefined && opts.resourceVersion !== stored.metadata.resourceVersion) {
      throw new ConflictError(
        this.target(type, name),
        `Precondition failed: ResourceVersion in precondition: ${opts.resourceVersion}, ` +
          `ResourceVersion in object meta: ${stored.metadata.resourceVersion ?? ""}`,
      );
    }
    if (opts.uid !== undefined && opts.uid !== stored.metadata.uid) {
      throw new ConflictError(
        this.target(type, name),
        `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${stored.metadata.uid ?? ""}`,
      );
    }
    return this.commit(type, { namespace, name, type: WatchEventType.Deleted, object: stored }) as T;
  }

  watch<T extends KubeObject>(type: ResourceType, opts: WatchOptions, listener: WatchListener<T>): StopWatch {
    this.open();
    const filter = compileFilter(opts, type.selectableFields);
    const from = parseResourceVersion(opts.resourceVersion);
    const id = resourceId(type);
    const namespace = type.namespaced && opts.namespace ? opts.namespace : undefined;
    if (from !== undefined && from !== 0 && from < this.backend.compactedRv()) {
      throw new GoneError(`too old resource version: ${from} (${this.backend.compactedRv() + 1})`);
    }
    const w = {
      id,
      type,
      namespace,
      filter,
      bookmarks: opts.bookmarks === true,
      listener: listener as WatchListener<KubeObject>,
      active: true,
    };
    if (from === undefined || from === 0) {
      for (const row of this.backend.scan(id, { namespace, after: undefined, filter, limit: undefined })) {
        this.hub.enqueue(w, { type: WatchEventType.Added, json: row.json });
      }
    } else {
      for (const rec of this.backend.eventsAfter(id, from)) {
        const ev = translate(w, rec);
        if (ev) this.hub.enqueue(w, ev);
      }
    }
    if (w.bookmarks) {
      this.hub.enqueue(w, {
        type: WatchEventType.Bookmark,
        object: bookmarkObject(type, this.backend.currentRv()),
      });
    }
    const stop = this.hub.add(w);
    this.hub.drain();
    return stop;
  }

  emitBookmarks(): void {
    if (this.closed) return;
    this.hub.bookmark(this.backend.currentRv());
  }

  flush(): Promise<void> {
    return this.closed ? Promise.resolve() : this.backend.flush();
  }

  currentResourceVersion(): string {
    this.open();
    return String(this.backend.currentRv());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    this.backend.close();
  }
}
