/**
 * The machinery every reconciler shares: a watch on its kinds that ignores the echoes of its own
 * status writes, a per-object queue (one reconcile of an object at a time, bursts collapsed),
 * delayed requeues, status writes with conflict retries, and waiting until idle.
 *
 * A reconciler (TaskRun, CustomRun, PipelineRun…) plugs in by building one loop with its
 * `reconcile(ref)` function and the types it watches, then:
 * - in `reconcile`, reads the latest object from the store, decides with pure functions, and
 *   writes with {@link ReconcileLoop.writeStatus} (retried over conflicts) or
 *   {@link ReconcileLoop.writeDecided} (dropped on a conflict, then reconciled again);
 * - asks for a later look with {@link ReconcileLoop.requeueAfter} (timeouts, polling);
 * - reports its background work (running attempts) through `runningWork`, so
 *   {@link ReconcileLoop.idle} waits for it.
 *
 * ```ts
 * const loop = new ReconcileLoop({
 *   store, clock, types: [ResourceTypes.PipelineRun],
 *   reconcile: (ref) => this.reconcile(ref),
 * });
 * loop.start();
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../api/types.js";
import { type ResourceType, type Store, type WatchEvent, eachObject } from "../../store/index.js";
import type { Clock } from "../clock.js";
import { KeyedQueue } from "./keyed-queue.js";
import { RequeueTimers } from "./requeue-timers.js";
import { StatusWriter, objectKey } from "./status-writer.js";

/** One object a reconciler acts on. */
export interface ObjectRef {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
  /** `<kind>/<namespace>/<name>`. */
  readonly key: string;
}

/** The reference of `namespace/name` of a type. */
export function refOf(type: ResourceType, namespace: string, name: string): ObjectRef {
  return { type, namespace, name, key: objectKey(type.kind, namespace, name) };
}

/** Options of {@link ReconcileLoop}. */
export interface ReconcileLoopOptions {
  store: Store;
  clock: Clock;
  /** The types watched; every ADDED or MODIFIED object (but for the loop's own writes) is reconciled. */
  types: readonly ResourceType[];
  reconcile: (ref: ObjectRef) => Promise<void> | void;
  /** Also ignore these ADDED events (e.g. runs that are already done when the watch starts). */
  ignoreAdded?: (obj: KubeObject) => boolean;
  /** Called for a DELETED object, before anything else (abort its work). */
  onDeleted?: (ref: ObjectRef) => void;
  /** Background work the loop waits for in {@link ReconcileLoop.idle}. */
  runningWork?: () => Iterable<Promise<unknown>>;
  /** Status writes equal to the stored status are skipped. */
  skipUnchangedWrites?: boolean;
  /** A reconcile that threw. */
  onError?: (key: string, err: unknown) => void;
  /** Observes how long each reconcile took (seconds) and whether it failed. */
  onReconcile?: (kind: string, seconds: number, result: "ok" | "error") => void;
}

export class ReconcileLoop {
  private readonly queue: KeyedQueue;
  private readonly timers: RequeueTimers;
  private readonly writer: StatusWriter;
  private stopWatches: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly opts: ReconcileLoopOptions) {
    this.queue = new KeyedQueue((k, err) => opts.onError?.(k, err));
    this.timers = new RequeueTimers(opts.clock);
    this.writer = new StatusWriter(
      opts.store,
      opts.skipUnchangedWrites === true ? { skipUnchanged: true } : {},
    );
  }

  /**
   * Watches the types and reconciles each object added or changed (existing ones too). The
   * existing objects are read a page at a time, and the watch starts at that list's version, so a
   * server with thousands of stored runs never holds them all at once.
   */
  start(): void {
    for (const type of this.opts.types) {
      const resourceVersion = eachObject(this.opts.store, type, {}, (object) =>
        this.onEvent(type, { type: "ADDED", object }),
      );
      this.stopWatches.push(this.opts.store.watch(type, { resourceVersion }, (ev) => this.onEvent(type, ev)));
    }
  }

  private onEvent(type: ResourceType, ev: WatchEvent): void {
    const ref = refOf(type, ev.object.metadata.namespace ?? "default", ev.object.metadata.name ?? "");
    if (ev.type === "DELETED") {
      this.writer.forget(ref.key);
      this.timers.clear(ref.key);
      this.opts.onDeleted?.(ref);
      return;
    }
    // Our own status writes need no reconcile: they were decided already.
    if (ev.type === "MODIFIED" && this.writer.isOwnWrite(ev.object)) return;
    if (ev.type === "ADDED" && this.opts.ignoreAdded?.(ev.object) === true) return;
    if (ev.type === "ADDED" || ev.type === "MODIFIED") this.enqueue(ref);
  }

  /** Whether {@link stop} was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Schedules a reconcile of one object (collapsed with one already waiting). */
  enqueue(ref: ObjectRef): void {
    if (this.stopped) return;
    this.queue.enqueue(ref.key, async () => {
      const started = performance.now();
      let result: "ok" | "error" = "error";
      try {
        await this.opts.reconcile(ref);
        result = "ok";
      } finally {
        this.opts.onReconcile?.(ref.type.kind, (performance.now() - started) / 1000, result);
      }
    });
  }

  /** Reconciles again in `ms` (an earlier pending requeue of the same object wins). */
  requeueAfter(ref: ObjectRef, ms: number): void {
    if (ms <= 0) return this.enqueue(ref);
    this.timers.requeue(ref.key, ms, () => this.enqueue(ref));
  }

  /** Drops the pending requeue of an object (it is done). */
  clearRequeue(ref: ObjectRef): void {
    this.timers.clear(ref.key);
  }

  /** Writes a status computed from the latest object, retrying on conflicts (see {@link StatusWriter.write}). */
  writeStatus<T extends KubeObject>(
    ref: ObjectRef,
    next: (latest: T) => T["status"] | undefined,
  ): T | undefined {
    return this.writer.write<T>(ref.type, ref.namespace, ref.name, next);
  }

  /** Writes a status decided from `obj` as read; on a conflict reconciles again and returns false. */
  writeDecided<T extends KubeObject>(ref: ObjectRef, obj: T, status: T["status"]): boolean {
    if (this.writer.writeDecided(ref.type, obj, status)) return true;
    this.enqueue(ref);
    return false;
  }

  /** Resolves once nothing is queued and no background work is running. */
  async idle(): Promise<void> {
    for (;;) {
      await this.queue.idle();
      const running = [...(this.opts.runningWork?.() ?? [])];
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /** Resolves once no reconcile is queued (background work may go on). */
  async settled(): Promise<void> {
    await this.queue.idle();
  }

  /** Stops watching, drops every requeue, and refuses new reconciles. */
  stop(): void {
    this.stopped = true;
    for (const stop of this.stopWatches) stop();
    this.stopWatches = [];
    this.timers.clearAll();
  }
}
