/**
 * The engine: the reconcilers that act on what the store holds. `tektite run` and `tektite serve`
 * both build one over their store; there is no second implementation.
 */
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import type { Executor } from "../executors/executor.js";
import type { Store } from "../store/index.js";
import type { Clock } from "./clock.js";
import { TaskRunReconciler, type TaskRunLogEvent } from "./taskrun/reconciler.js";

export interface EngineOptions {
  store: Store;
  executor: Executor;
  clock: Clock;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  dataDir: string;
  maxParallel?: number;
  onLog?: (event: TaskRunLogEvent) => void;
  onError?: (key: string, err: unknown) => void;
}

export class Engine {
  readonly taskRuns: TaskRunReconciler;

  constructor(opts: EngineOptions) {
    this.taskRuns = new TaskRunReconciler(opts);
  }

  start(): void {
    this.taskRuns.start();
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    await this.taskRuns.idle();
  }

  /** Stops reconciling; running attempts are cancelled. */
  async stop(): Promise<void> {
    await this.taskRuns.stop();
  }
}

export type { TaskRunLogEvent };
