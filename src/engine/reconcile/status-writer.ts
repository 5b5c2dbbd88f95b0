/**
 * Status writes of a reconciler through the status subresource, with the two rules every
 * reconciler needs: a write decided from the latest object is retried on conflicts, and the watch
 * echo of a write can be told from everyone else's changes ({@link StatusWriter.isOwnWrite}).
 * The store usually delivers that echo synchronously, inside `update`; a write made while the
 * store is delivering another event is echoed later. So the writer remembers both the object it
 * is writing right now and the resourceVersion of its latest write of each object.
 *
 * @module
 */
import type { KubeObject } from "../../api/types.js";
import { ConflictError, type ResourceType, type Store } from "../../store/index.js";

/** How many times a write decided from the latest object is retried over conflicting writes. */
const CONFLICT_RETRIES = 20;

/** `<kind>/<namespace>/<name>`: the key reconcilers use for an object. */
export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The key of an object (namespace defaults to `default`). */
export function keyOfObject(obj: KubeObject): string {
  return objectKey(obj.kind, obj.metadata.namespace ?? "default", obj.metadata.name ?? "");
}

/** Options of {@link StatusWriter}. */
export interface StatusWriterOptions {
  /** Treat `next` equal to the stored status as no write (default: always write). */
  skipUnchanged?: boolean;
}

export class StatusWriter {
  /** The resourceVersion of each object's latest status write by this writer. */
  private readonly own = new Map<string, string>();
  /** The key of the object being written right now. */
  private writing: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly opts: StatusWriterOptions = {},
  ) {}

  /** Whether a watch event's object is the echo of this writer's latest write of it. */
  isOwnWrite(obj: KubeObject): boolean {
    const key = keyOfObject(obj);
    if (this.writing === key) return true;
    const rv = obj.metadata.resourceVersion;
    return rv !== undefined && this.own.get(key) === rv;
  }

  /** Forgets a deleted object. */
  forget(key: string): void {
    this.own.delete(key);
  }

  private unchanged(status: unknown, stored: unknown): boolean {
    return (
      this.opts.skipUnchanged === true && JSON.stringify(status ?? null) === JSON.stringify(stored ?? null)
    );
  }

  private update<T extends KubeObject>(type: ResourceType, obj: T, status: unknown): T {
    const key = keyOfObject(obj);
    this.writing = key;
    try {
      const written = this.store.update<T>(type, { ...obj, status }, { subresource: "status" });
      if (written.metadata.resourceVersion !== undefined) this.own.set(key, written.metadata.resourceVersion);
      return written;
    } finally {
      this.writing = undefined;
    }
  }

  /**
   * Writes a status computed from the latest object, retrying on conflicts. `next` returning
   * undefined leaves the object as it is. Returns the object after the write, or undefined when
   * it no longer exists.
   */
  write<T extends KubeObject>(
    type: ResourceType,
    namespace: string,
    name: string,
    next: (latest: T) => T["status"] | undefined,
  ): T | undefined {
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const latest = this.store.get<T>(type, namespace, name);
      if (latest === undefined) return undefined;
      const status = next(latest);
      if (status === undefined || this.unchanged(status, latest["status"])) return latest;
      try {
        return this.update(type, latest, status);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`${type.kind} ${namespace}/${name}: status update kept conflicting`);
  }

  /**
   * Writes a status decided from `obj` as it was read. False on a conflict: the object changed
   * meanwhile, so the decision is dropped and the caller reconciles again.
   */
  writeDecided<T extends KubeObject>(type: ResourceType, obj: T, status: T["status"]): boolean {
    if (this.unchanged(status, obj["status"])) return true;
    try {
      this.update(type, obj, status);
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return false;
    }
  }
}
