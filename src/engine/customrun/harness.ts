/**
 * A small in-memory harness around {@link CustomRunReconciler} for tests: a memory store, a
 * ManualClock, chosen controllers, and helpers to create, cancel and read runs.
 *
 * @module
 */
import type { CustomRunStatus, KubeObject } from "../../api/types.js";
import type { CustomTaskController } from "../../customtasks/controller.js";
import type { AnyCustomRun } from "../../customtasks/run-view.js";
import {
  ConflictError,
  openMemoryStore,
  ResourceTypes,
  type ResourceType,
  type Store,
} from "../../store/index.js";
import { ManualClock } from "../clock.js";
import { CustomRunDispatcher } from "./dispatcher.js";
import { CustomRunReconciler } from "./reconciler.js";
import type { CustomRunLogEvent } from "./run-log.js";

/** A running harness. */
export interface Harness {
  store: Store;
  clock: ManualClock;
  reconciler: CustomRunReconciler;
  logs: CustomRunLogEvent[];
  errors: Array<{ key: string; err: unknown }>;
  /** Creates a run and waits until the engine has settled (no reconcile queued; attempts may run). */
  create(obj: KubeObject): Promise<AnyCustomRun>;
  /** The stored run. */
  get(name: string, kind?: "CustomRun" | "Run", ns?: string): AnyCustomRun;
  /** The stored run's status (throws when it has none). */
  status(name: string, kind?: "CustomRun" | "Run"): CustomRunStatus;
  /** Sets `spec.status: RunCancelled` (and a statusMessage) and waits. */
  cancel(name: string, message?: string, kind?: "CustomRun" | "Run"): Promise<void>;
  /** Advances the clock and waits until the engine is idle. */
  advance(ms: number): Promise<void>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const typeOf = (kind: string): ResourceType => (kind === "Run" ? ResourceTypes.Run : ResourceTypes.CustomRun);

/** Starts a harness with the given controllers (or dispatcher). */
export function startHarness(
  controllers: readonly CustomTaskController[] | CustomRunDispatcher,
  opts: { dataDir?: string; start?: Date } = {},
): Harness {
  const clock = new ManualClock(opts.start ?? new Date("2026-01-01T00:00:00Z"));
  const store = openMemoryStore({ now: () => clock.now() });
  const logs: CustomRunLogEvent[] = [];
  const errors: Array<{ key: string; err: unknown }> = [];
  const dispatcher =
    controllers instanceof CustomRunDispatcher ? controllers : new CustomRunDispatcher(controllers);
  const reconciler = new CustomRunReconciler({
    store,
    clock,
    dispatcher,
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    onLog: (e) => logs.push(e),
    onError: (key, err) => errors.push({ key, err }),
  });
  reconciler.start();
  const idle = async (): Promise<void> => {
    // Let promise chains started by timers and watches settle, then wait for the reconciler.
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((r) => setImmediate(r));
      await reconciler.settled();
    }
  };
  const get = (name: string, kind: "CustomRun" | "Run" = "CustomRun", ns = "default"): AnyCustomRun => {
    const run = store.get<AnyCustomRun>(typeOf(kind), ns, name);
    if (run === undefined) throw new Error(`${kind} ${ns}/${name} not found`);
    return run;
  };
  return {
    store,
    clock,
    reconciler,
    logs,
    errors,
    async create(obj) {
      const created = store.create(typeOf(obj.kind), obj) as AnyCustomRun;
      await idle();
      return created;
    },
    get,
    status(name, kind) {
      const s = get(name, kind).status;
      if (s === undefined) throw new Error(`${name} has no status`);
      return s;
    },
    async cancel(name, message, kind = "CustomRun") {
      for (;;) {
        const run = get(name, kind);
        const spec = {
          ...run.spec,
          status: "RunCancelled",
          ...(message !== undefined ? { statusMessage: message } : {}),
        };
        try {
          store.update(typeOf(kind), { ...run, spec } as KubeObject);
          break;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
      await idle();
    },
    async advance(ms) {
      clock.advance(ms);
      await idle();
    },
    idle,
    async stop() {
      await reconciler.stop();
      store.close();
    },
  };
}

/** A CustomRun object for tests. */
export function customRun(
  name: string,
  target: { apiVersion: string; kind: string; name?: string } | { customSpec: Record<string, unknown> },
  spec: Record<string, unknown> = {},
): KubeObject {
  const ref = "customSpec" in target ? { customSpec: target.customSpec } : { customRef: target };
  return {
    apiVersion: "tekton.dev/v1beta1",
    kind: "CustomRun",
    metadata: { name, namespace: "default" },
    spec: { ...ref, ...spec },
  };
}

/** A v1alpha1 Run object for tests. */
export function alphaRun(
  name: string,
  target: { apiVersion: string; kind: string; name?: string },
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: "tekton.dev/v1alpha1",
    kind: "Run",
    metadata: { name, namespace: "default" },
    spec: { ref: target, ...spec },
  };
}
