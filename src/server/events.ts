/**
 * Core v1 Events for run transitions, as Tekton's controller records them, so `kubectl get
 * events` and `kubectl describe taskrun` show them: `Started` when `status.startTime` is first
 * set, then on every change of the `Succeeded` condition an event whose reason is the
 * condition's reason (Normal while Unknown or True — True reports `Succeeded` — Warning `Failed`
 * when False; the first Unknown condition, a pending run's included, reports `Started`).
 * Finished runs are also reported to the metrics.
 *
 * An event identical to one already recorded for the same run is counted on it (`count`,
 * `lastTimestamp`), as Kubernetes' event correlator aggregates Tekton's repeated `Started`.
 *
 * Only transitions seen while the server runs produce events (state is snapshotted at start).
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import type { Condition, KubeObject } from "../api/types.js";
import {
  ResourceTypes,
  eachObject,
  WatchEventType,
  isStoreError,
  type ResourceType,
  type StopWatch,
  type Store,
} from "../store/index.js";
import type { ServerMetrics } from "./metrics.js";

interface RunState {
  started: boolean;
  condition: string;
}

const RUN_TYPES: readonly ResourceType[] = [
  ResourceTypes.TaskRun,
  ResourceTypes.PipelineRun,
  ResourceTypes.CustomRun,
  ResourceTypes.Run,
];

/** The reporting component of each run kind's controller (knative's `<kind>-controller`). */
const CONTROLLER_COMPONENT: Readonly<Record<string, string>> = {
  TaskRun: "taskrun-controller",
  PipelineRun: "pipelinerun-controller",
};

function conditionOf(obj: KubeObject): Condition | undefined {
  return (obj["status"] as { conditions?: Condition[] } | undefined)?.conditions?.find(
    (c) => c.type === "Succeeded",
  );
}

function stateOf(obj: KubeObject): RunState {
  const c = conditionOf(obj);
  return {
    started: (obj["status"] as { startTime?: string } | undefined)?.startTime !== undefined,
    condition: c ? `${c.status}/${c.reason ?? ""}/${c.message ?? ""}` : "",
  };
}

/** Options of {@link startRunObserver}. */
export interface RunObserverOptions {
  store: Store;
  metrics: ServerMetrics;
  now: () => Date;
  /** Where failures to record an event go. */
  onError: (err: unknown) => void;
}

/**
 * The Events already recorded per run (run key → event key → Event name): an identical event
 * (same object, type, reason and message) is counted on the first one — `count` and
 * `lastTimestamp` — as client-go's event correlator does, so `kubectl get events` shows `(x2)`.
 */
type Recorded = Map<string, Map<string, string>>;

function runKeyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}/${obj.metadata.uid ?? ""}`;
}

function countAgain(opts: RunObserverOptions, ns: string, name: string | undefined, now: string): boolean {
  if (name === undefined) return false;
  const earlier = opts.store.get<KubeObject & { count?: number }>(ResourceTypes.Event, ns, name);
  if (earlier === undefined) return false;
  opts.store.update(ResourceTypes.Event, { ...earlier, count: (earlier.count ?? 1) + 1, lastTimestamp: now });
  return true;
}

function recordEvent(
  opts: RunObserverOptions,
  recorded: Recorded,
  obj: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): void {
  const ns = obj.metadata.namespace ?? "default";
  const now = opts
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const component = CONTROLLER_COMPONENT[obj.kind] ?? "customrun-controller";
  const runKey = runKeyOf(obj);
  const eventKey = `${type}/${reason}/${message}`;
  const ofRun = recorded.get(runKey) ?? new Map<string, string>();
  recorded.set(runKey, ofRun);
  if (countAgain(opts, ns, ofRun.get(eventKey), now)) return;
  const eventName = `${obj.metadata.name ?? ""}.${randomBytes(8).toString("hex")}`;
  ofRun.set(eventKey, eventName);
  opts.store.create(ResourceTypes.Event, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: eventName, namespace: ns },
    involvedObject: {
      kind: obj.kind,
      namespace: ns,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    },
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    reportingComponent: component,
    reportingInstance: "tektite",
  });
}

function onChange(
  opts: RunObserverOptions,
  recorded: Recorded,
  before: RunState | undefined,
  obj: KubeObject,
): void {
  const after = stateOf(obj);
  const record = (type: "Normal" | "Warning", reason: string, message: string): void =>
    recordEvent(opts, recorded, obj, type, reason, message);
  if (after.started && !(before?.started ?? false)) record("Normal", "Started", "");
  if (after.condition === (before?.condition ?? "") || after.condition === "") return;
  const c = conditionOf(obj);
  if (c === undefined) return;
  const message = c.message ?? "";
  if (c.status === "True") record("Normal", "Succeeded", message);
  else if (c.status === "False") record("Warning", "Failed", message);
  // Tekton's events.Emit: an Unknown condition with none before it is reported as Started (a
  // pending run included); later Unknown conditions carry their own reason and message.
  else if ((before?.condition ?? "") === "") record("Normal", "Started", "");
  else record("Normal", c.reason ?? "Running", message);
  if (c.status !== "Unknown") {
    // A finished run records nothing more: forget its events (memory stays bounded by active runs).
    recorded.delete(runKeyOf(obj));
    opts.metrics.observeRunFinished(obj);
  }
}

/** Watches runs and records Events and metrics for their transitions; returns a stopper. */
export function startRunObserver(opts: RunObserverOptions): StopWatch {
  const stops: StopWatch[] = [];
  const recorded: Recorded = new Map();
  for (const type of RUN_TYPES) {
    const known = new Map<string, RunState>();
    const key = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
    const resourceVersion = eachObject(opts.store, type, {}, (obj) => known.set(key(obj), stateOf(obj)));
    stops.push(
      opts.store.watch(type, { resourceVersion }, (event) => {
        const k = key(event.object);
        if (event.type === WatchEventType.Deleted) {
          known.delete(k);
          recorded.delete(runKeyOf(event.object));
          return;
        }
        if (event.type !== WatchEventType.Added && event.type !== WatchEventType.Modified) return;
        const before = known.get(k);
        known.set(k, stateOf(event.object));
        try {
          onChange(opts, recorded, before, event.object);
        } catch (err) {
          if (!isStoreError(err)) throw err;
          opts.onError(err);
        }
      }),
    );
  }
  return () => {
    for (const stop of stops) stop();
  };
}
