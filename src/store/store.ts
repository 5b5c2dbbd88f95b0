/**
 * The resource store: one documented, synchronous interface with Kubernetes API-server
 * semantics, implemented in memory (`memory.ts`, for `tektite run`) and in SQLite
 * (`sqlite.ts`, for `tektite serve`). Both pass the same conformance suite (`conformance.ts`).
 *
 * Semantics (as the Kubernetes API server over etcd):
 * - **resourceVersion** is one global monotonic counter shared by every resource type, rendered
 *   as a decimal string. Every successful write (create, update that changes something, delete)
 *   takes the next value. A list's `resourceVersion` is the store's current counter.
 * - **create** assigns `uid` (random UUID), `creationTimestamp` (RFC 3339, second precision),
 *   `resourceVersion`, `generation: 1`; resolves `metadata.generateName` by appending 5 random
 *   `[a-z0-9]` characters; fills `apiVersion`/`kind` from the {@link ResourceType} when empty;
 *   defaults the namespace of a namespaced type to `"default"` and drops it for a cluster-scoped
 *   type. Any caller-supplied `uid`, `resourceVersion`, `generation`, `creationTimestamp`,
 *   `deletionTimestamp` is ignored. Fails with {@link AlreadyExistsError} or {@link InvalidError}
 *   (bad or missing name).
 * - **update** is a PUT: if `metadata.resourceVersion` is set it must equal the stored one, else
 *   {@link ConflictError} (optimistic concurrency); if `metadata.uid` is set it must match too.
 *   For a type with a status subresource, the main update keeps the stored `status` and the
 *   `status` subresource update (`{ subresource: "status" }`) replaces only `status` (all other
 *   changes are ignored). `generation` is bumped when anything outside `metadata` and `status`
 *   changes. `uid`, `creationTimestamp`, `generateName` and `deletionTimestamp` are kept from the
 *   stored object. An update that changes nothing is a no-op: no new resourceVersion, no event.
 *   Missing object ⇒ {@link NotFoundError}.
 * - **delete** is finalizer-free: the object is removed at once (finalizers are not honoured).
 *   It returns the removed object carrying the deletion's resourceVersion, the same object the
 *   `DELETED` watch event carries. Optional preconditions `resourceVersion` / `uid` ⇒ Conflict.
 * - **list** returns items ordered by (namespace, name), filtered by label and field selectors
 *   (see `selectors.ts`; a malformed selector ⇒ {@link BadRequestError}), paged with
 *   `limit`/`continue`. A continue token encodes the last returned key and the list's
 *   resourceVersion; pages after the first are read from current data (not a snapshot). A token
 *   older than the oldest retained event ⇒ {@link GoneError} (410 Expired).
 * - **watch** delivers `ADDED`/`MODIFIED`/`DELETED` events for one resource type, optionally
 *   filtered by namespace and selectors. Without `resourceVersion` (or with `"0"`) it first sends
 *   a synthetic `ADDED` for every current matching object, then live events. With a
 *   resourceVersion it replays every retained event after that version, then live events.
 *   History is bounded: a version older than the retained history ⇒ `watch` throws
 *   {@link GoneError} (the server turns this into a 410 `ERROR` event, as Kubernetes does).
 *   With `bookmarks: true` a `BOOKMARK` event (object with only `kind`, `apiVersion` and
 *   `metadata.resourceVersion`) is sent once the initial events are delivered and on every
 *   {@link Store.emitBookmarks} call (the server calls it on a timer). An object that stops
 *   matching a label/field selector is delivered as `DELETED`, one that starts matching as
 *   `ADDED` (as the Kubernetes watch cache does).
 *   Delivery is synchronous, after the write has committed, and strictly ordered: events are
 *   queued and drained in order, so a listener that writes to the store does not cause
 *   out-of-order delivery to other listeners (its own write's events are delivered after the
 *   current event has reached every listener). A listener that throws is unsubscribed and the
 *   error goes to `onListenerError` (default: rethrown asynchronously so it is never lost).
 * - Objects passed in are never retained and objects returned are copies: callers may mutate.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";

export {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  GoneError,
  InvalidError,
  NotFoundError,
  StoreError,
  isStoreError,
} from "./errors.js";

/**
 * Identifies a kind of resource, like a Kubernetes `APIResource`. Well-known types are in
 * `resources.ts` (`ResourceTypes.TaskRun`…). The store keys records by {@link resourceId}.
 */
export interface ResourceType {
  /** API group: `"tekton.dev"`, or `""` for the core group. */
  readonly group: string;
  /** Served/storage version used to fill an empty `apiVersion` (`"v1"`, `"v1beta1"`…). */
  readonly version: string;
  /** Plural lower-case resource name: `"taskruns"`, `"configmaps"`. */
  readonly resource: string;
  /** Kind: `"TaskRun"`, `"ConfigMap"`. */
  readonly kind: string;
  /** Whether objects live in a namespace. */
  readonly namespaced: boolean;
  /** Whether `status` is a subresource (main updates keep it, status updates change only it). */
  readonly statusSubresource: boolean;
  /**
   * Field-selector paths supported beyond `metadata.name` and `metadata.namespace`
   * (e.g. `involvedObject.name` for events, `status.phase` for pods). Others ⇒ BadRequest.
   */
  readonly selectableFields?: readonly string[];
}

/** `"taskruns.tekton.dev"` for a grouped type, `"configmaps"` for the core group. */
export function resourceId(type: Pick<ResourceType, "group" | "resource">): string {
  return type.group === "" ? type.resource : `${type.resource}.${type.group}`;
}

/** `"tekton.dev/v1"` for a grouped type, `"v1"` for the core group. */
export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

/** Options of {@link Store.list}. */
export interface ListOptions {
  /** Only this namespace; all namespaces when undefined (or for cluster-scoped types). */
  namespace?: string;
  /** Kubernetes label selector: `a=b,c!=d,e,!f,g in (x,y),h notin (z)`. */
  labelSelector?: string;
  /** Field selector on `metadata.name` / `metadata.namespace`: `metadata.name=x,metadata.namespace!=y`. */
  fieldSelector?: string;
  /** Maximum number of items (≤ 0 or undefined: no limit). */
  limit?: number;
  /** Continue token from a previous page's {@link ListResult.continue}. */
  continue?: string;
}

/** A page of a list. */
export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  /** Store resourceVersion at which the (first page of the) list was taken. */
  resourceVersion: string;
  /** Token for the next page; absent on the last page. */
  continue?: string;
}

/** A page of {@link Store.listEncoded}: like {@link ListResult}, each item as its JSON's UTF-8 bytes. */
export interface EncodedList {
  items: Buffer[];
  resourceVersion: string;
  continue?: string;
}

/**
 * An unpaged list read in pieces ({@link Store.streamEncoded}): every item matching when it was
 * taken, in list order, whatever is written while it is being read.
 */
export interface EncodedListStream {
  /** The store's resourceVersion when the list was taken. */
  resourceVersion: string;
  /** Up to `max` further items (JSON texts); none once the list is read (it is then released). */
  next(max: number): string[];
  /** Releases the list before its end; idempotent. */
  close(): void;
}

/** Options of {@link Store.update}. */
export interface UpdateOptions {
  /** `"status"`: replace only `status` (the `/status` subresource). */
  subresource?: "status";
}

/** Options of {@link Store.delete}. */
export interface DeleteOptions {
  /** Precondition: the stored resourceVersion must equal this (else Conflict). */
  resourceVersion?: string;
  /** Precondition: the stored uid must equal this (else Conflict). */
  uid?: string;
}

/** Options of {@link Store.watch}. */
export interface WatchOptions {
  namespace?: string;
  /** Replay events after this version; unset or `"0"`: synthetic ADDED for current objects. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Send BOOKMARK events (see {@link Store.emitBookmarks}). */
  bookmarks?: boolean;
}

/** Watch event types, as on the Kubernetes wire. */
export const WatchEventType = {
  Added: "ADDED",
  Modified: "MODIFIED",
  Deleted: "DELETED",
  Bookmark: "BOOKMARK",
  Error: "ERROR",
} as const;
/** One of {@link WatchEventType}'s values. */
export type WatchEventType = (typeof WatchEventType)[keyof typeof WatchEventType];

/**
 * A watch event. For `ERROR` the object is a Kubernetes `Status` (the store itself never emits
 * `ERROR`; the type is here so the server and clients share it).
 */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** Receives watch events. */
export type WatchListener<T extends KubeObject = KubeObject> = (event: WatchEvent<T>) => void;

/** Stops a watch; idempotent. */
export type StopWatch = () => void;

/** The resource store. All methods are synchronous; see the module documentation for semantics. */
export interface Store {
  /** Creates an object; returns the stored copy (with uid, resourceVersion…). */
  create<T extends KubeObject>(type: ResourceType, obj: T): T;
  /**
   * The object, or undefined. `namespace` is ignored for cluster-scoped types and defaults to
   * `"default"` for namespaced ones (also in update and delete).
   */
  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): T | undefined;
  /** Lists objects (ordered by namespace, then name). */
  list<T extends KubeObject>(type: ResourceType, opts?: ListOptions): ListResult<T>;
  /**
   * {@link Store.list} with each item as its stored JSON (UTF-8 bytes, the storage version's
   * shape), so a server can answer without decoding, parsing and re-encoding every object.
   */
  listEncoded(type: ResourceType, opts?: ListOptions): EncodedList;
  /**
   * {@link Store.listEncoded} of every match (`limit` and `continue` are ignored), read in
   * pieces: the caller may yield between them, and later writes are not seen. A caller that stops
   * early calls `close()`.
   */
  streamEncoded(type: ResourceType, opts?: ListOptions): EncodedListStream;
  /** Replaces an object (PUT) or its status; returns the stored copy. */
  update<T extends KubeObject>(type: ResourceType, obj: T, opts?: UpdateOptions): T;
  /** Deletes an object; returns it with the deletion's resourceVersion. Missing ⇒ NotFoundError. */
  delete<T extends KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    opts?: DeleteOptions,
  ): T;
  /** Watches one resource type; throws GoneError when `resourceVersion` is too old. */
  watch<T extends KubeObject>(type: ResourceType, opts: WatchOptions, listener: WatchListener<T>): StopWatch;
  /**
   * Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks.
   * A no-op once closed, so a server timer may outlive the store.
   */
  emitBookmarks(): void;
  /**
   * Resolves once every write made so far survives a crash of the machine (writes survive a
   * crash of the process as soon as they return). The API server waits for it before answering
   * a write; the memory store resolves at once.
   */
  flush(): Promise<void>;
  /** The current (latest committed) resourceVersion. */
  currentResourceVersion(): string;
  /** Stops all watches and releases resources (closes the database). */
  close(): void;
}

/** Options shared by both implementations. */
export interface StoreOptions {
  /** Number of events kept for watch replay (default 10 000). Older versions ⇒ 410. */
  historySize?: number;
  /** Bytes of stored JSON kept for watch replay (default 64 MiB); the oldest events go first. */
  historyBytes?: number;
  /** Where a throwing watch listener's error goes (default: rethrown in a microtask). */
  onListenerError?: (error: unknown) => void;
  /** Clock for creationTimestamp (default `() => new Date()`). */
  now?: () => Date;
}
