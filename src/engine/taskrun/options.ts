/** What the TaskRun reconciler is built with, and the run settings it derives from a TaskRun. */
import { durationToMs, formatGoDuration, parseGoDuration } from "../../api/duration.js";
import type { TaskRun } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import type { ResolverSettings } from "../../config/resolvers.js";
import type { Executor, LogStream } from "../../executors/executor.js";
import type { Store } from "../../store/index.js";
import type { Clock } from "../clock.js";
import type { RunLimits } from "./limits.js";

export interface TaskRunLogEvent {
  namespace: string;
  taskRun: string;
  podName: string;
  container: string;
  stream: LogStream;
  chunk: Buffer;
}

export interface TaskRunEngineOptions {
  store: Store;
  executor: Executor;
  clock: Clock;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** Where attempts keep their files (`pods/`) and claims live (`pvcs/`). */
  dataDir: string;
  /** Allowed host paths and the server's bounds (default {@link DEFAULT_RUN_LIMITS}: no hostPath). */
  limits?: RunLimits;
  /** The resolvers' ConfigMaps, hub URLs and offline mode (default: Tekton's shipped config). */
  resolvers?: ResolverSettings;
  /** At most this many attempts run at once (default: unlimited). */
  maxParallel?: number;
  onLog?: (event: TaskRunLogEvent) => void;
  /** Reports errors the reconciler could not turn into a status (store failures…). */
  onError?: (key: string, err: unknown) => void;
  /** Observes how long each reconcile took (seconds) and whether it failed. */
  onReconcile?: (kind: string, seconds: number, result: "ok" | "error") => void;
}

/** The configured or default timeout of a run, as Go prints it, and in milliseconds (0 = none). */
export function effectiveTimeout(tr: TaskRun, defaults: ConfigDefaults): { text: string; ms: number } {
  const raw = tr.spec.timeout;
  const ns =
    raw !== undefined ? parseGoDuration(raw) : BigInt(defaults.defaultTimeoutMinutes) * 60_000_000_000n;
  return { text: formatGoDuration(ns), ms: durationToMs(ns) };
}
