/**
 * The engine: the reconcilers that act on what the store holds. `tektite run` and `tektite serve`
 * both build one over their store; there is no second implementation.
 */
import { TaskRunReconciler } from "./taskrun/reconciler.js";
import type { TaskRunEngineOptions, TaskRunLogEvent } from "./taskrun/options.js";
import { CustomRunDispatcher } from "./customrun/dispatcher.js";
import { CustomRunReconciler } from "./customrun/reconciler.js";
import type { CustomRunLogEvent } from "./customrun/run-log.js";
import { PipelineRunReconciler } from "./pipelinerun/reconciler.js";
import { storeResolver, type PipelineResolver } from "./pipelinerun/resolve.js";
import { RemotePipelineResolver } from "./pipelinerun/remote.js";
import { RemoteResolver } from "./resolution/remote.js";
import { defaultResolverSettings } from "../config/resolvers.js";
import type { StopWatch } from "../store/index.js";
import { startClaimReclaimer } from "./claim-reclaimer.js";

/** The TaskRun reconciler's options, plus the custom-task controllers and their log listener. */
export interface EngineOptions extends TaskRunEngineOptions {
  /** Custom-task controllers for CustomRuns and Runs (default: none; the CLI wires in the built-ins). */
  customTasks?: CustomRunDispatcher;
  /** Lines logged by custom-task controllers. */
  onCustomRunLog?: (event: CustomRunLogEvent) => void;
  /** Where PipelineRuns find their Pipelines and Tasks (default: the store). */
  pipelineResolver?: PipelineResolver;
}

export class Engine {
  readonly taskRuns: TaskRunReconciler;
  readonly customRuns: CustomRunReconciler;
  readonly pipelineRuns: PipelineRunReconciler;
  private stopClaims: StopWatch | undefined;

  constructor(private readonly opts: EngineOptions) {
    const remote = new RemoteResolver({
      store: opts.store,
      clock: opts.clock,
      features: opts.features,
      defaults: opts.defaults,
      settings: opts.resolvers ?? defaultResolverSettings(),
      dataDir: opts.dataDir,
    });
    this.taskRuns = new TaskRunReconciler(opts, remote);
    this.customRuns = new CustomRunReconciler({
      store: opts.store,
      clock: opts.clock,
      dispatcher: opts.customTasks ?? new CustomRunDispatcher(),
      dataDir: opts.dataDir,
      ...(opts.onCustomRunLog !== undefined ? { onLog: opts.onCustomRunLog } : {}),
      ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
    });
    this.pipelineRuns = new PipelineRunReconciler({
      store: opts.store,
      clock: opts.clock,
      features: opts.features,
      defaults: opts.defaults,
      resolver:
        opts.pipelineResolver ??
        new RemotePipelineResolver(storeResolver(opts.store), remote, (ns, name) =>
          this.pipelineRuns.enqueue(ns, name),
        ),
      ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
      ...(opts.onReconcile !== undefined ? { onReconcile: opts.onReconcile } : {}),
    });
  }

  start(): void {
    this.stopClaims ??= startClaimReclaimer(this.opts);
    this.taskRuns.start();
    this.customRuns.start();
    this.pipelineRuns.start();
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    await Promise.all([this.taskRuns.idle(), this.customRuns.idle(), this.pipelineRuns.idle()]);
  }

  /**
   * Stops reconciling. Running TaskRun and custom-task attempts end as cancelled unless `cancelRunning` is false
   * (a server shutting down leaves them for its next start to settle).
   */
  async stop(opts: { cancelRunning?: boolean } = {}): Promise<void> {
    this.stopClaims?.();
    this.stopClaims = undefined;
    await this.pipelineRuns.stop();
    await Promise.all([this.taskRuns.stop(opts), this.customRuns.stop(opts)]);
  }
}

export type { TaskRunLogEvent, CustomRunLogEvent };
