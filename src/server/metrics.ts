/**
 * Prometheus metrics (`/metrics`), one registry per server (no global state):
 * - `tekton_pipelines_controller_taskrun_duration_seconds{namespace,status}` and
 *   `tekton_pipelines_controller_taskrun_total{status}`, observed when a TaskRun finishes
 *   (`status`: success, failed, cancelled), as Tekton names them;
 * - `tekton_pipelines_controller_running_taskruns`: TaskRuns started and not done (at scrape);
 * - `tekton_pipelines_controller_pipelinerun_duration_seconds{namespace,status}`,
 *   `tekton_pipelines_controller_pipelinerun_total{status}` and
 *   `tekton_pipelines_controller_running_pipelineruns`, likewise for PipelineRuns (`cancelled`
 *   only for the reason `Cancelled`, as Tekton's recorder decides);
 * - `tektite_customrun_duration_seconds{namespace,kind,status}`, `tektite_customrun_total`,
 *   `tektite_running_customruns` for CustomRuns and Runs;
 * - `tektite_apiserver_request_duration_seconds{verb,resource,code}`;
 * - `tektite_reconcile_duration_seconds{kind,result}`: fed by {@link ServerMetrics.observeReconcile},
 *   which the engine can call once it is given this object.
 *
 * @module
 */

import { CANCELLED_REASONS, isRunning, succeededCondition } from "../api/conditions.js";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { KubeObject } from "../api/types.js";
import { ResourceTypes, countObjects, type Store } from "../store/index.js";

/** `status` label values, as Tekton's metrics use them. */
export const RunMetricStatus = { Success: "success", Failed: "failed", Cancelled: "cancelled" } as const;
/** One of {@link RunMetricStatus}'s values. */
export type RunMetricStatus = (typeof RunMetricStatus)[keyof typeof RunMetricStatus];

const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 5400, 10800, 21600, 43200, 86400];

/** The `status` label of a finished run. */
export function runMetricStatus(obj: KubeObject): RunMetricStatus {
  const c = succeededCondition(obj.status);
  if (c?.status === "True") return RunMetricStatus.Success;
  if (c?.reason !== undefined && CANCELLED_REASONS.has(c.reason)) return RunMetricStatus.Cancelled;
  return RunMetricStatus.Failed;
}

/** The server's metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly taskRunDuration: Histogram<"namespace" | "status">;
  private readonly taskRunTotal: Counter<"status">;
  private readonly pipelineRunDuration: Histogram<"namespace" | "status">;
  private readonly pipelineRunTotal: Counter<"status">;
  private readonly customRunDuration: Histogram<"namespace" | "kind" | "status">;
  private readonly customRunTotal: Counter<"kind" | "status">;
  private readonly requestDuration: Histogram<"verb" | "resource" | "code">;
  private readonly reconcileDuration: Histogram<"kind" | "result">;

  constructor(store: Store) {
    const registers = [this.registry];
    this.taskRunDuration = new Histogram({
      name: "tekton_pipelines_controller_taskrun_duration_seconds",
      help: "The taskrun execution time in seconds",
      labelNames: ["namespace", "status"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.taskRunTotal = new Counter({
      name: "tekton_pipelines_controller_taskrun_total",
      help: "Number of taskruns that finished, by status",
      labelNames: ["status"],
      registers,
    });
    this.pipelineRunDuration = new Histogram({
      name: "tekton_pipelines_controller_pipelinerun_duration_seconds",
      help: "The pipelinerun execution time in seconds",
      labelNames: ["namespace", "status"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.pipelineRunTotal = new Counter({
      name: "tekton_pipelines_controller_pipelinerun_total",
      help: "Number of pipelineruns",
      labelNames: ["status"],
      registers,
    });
    new Gauge({
      name: "tekton_pipelines_controller_running_pipelineruns",
      help: "Number of pipelineruns executing currently",
      registers,
      collect() {
        this.set(countObjects(store, ResourceTypes.PipelineRun, isRunning));
      },
    });
    this.customRunDuration = new Histogram({
      name: "tektite_customrun_duration_seconds",
      help: "The CustomRun and Run execution time in seconds",
      labelNames: ["namespace", "kind", "status"],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.customRunTotal = new Counter({
      name: "tektite_customrun_total",
      help: "Number of CustomRuns and Runs that finished, by status",
      labelNames: ["kind", "status"],
      registers,
    });
    new Gauge({
      name: "tekton_pipelines_controller_running_taskruns",
      help: "Number of taskruns executing currently",
      registers,
      collect() {
        this.set(countObjects(store, ResourceTypes.TaskRun, isRunning));
      },
    });
    new Gauge({
      name: "tektite_running_customruns",
      help: "Number of CustomRuns and Runs executing currently",
      registers,
      collect() {
        const n = [ResourceTypes.CustomRun, ResourceTypes.Run].reduce(
          (sum, t) => sum + countObjects(store, t, isRunning),
          0,
        );
        this.set(n);
      },
    });
    this.requestDuration = new Histogram({
      name: "tektite_apiserver_request_duration_seconds",
      help: "API request latency (to the response headers for watches and followed logs)",
      labelNames: ["verb", "resource", "code"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: "tektite_reconcile_duration_seconds",
      help: "Time one reconcile of one object took",
      labelNames: ["kind", "result"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
  }

  /** Records a finished run (called once per run when its Succeeded condition becomes final). */
  observeRunFinished(obj: KubeObject): void {
    const status = runMetricStatus(obj);
    const st = obj["status"] as { startTime?: string; completionTime?: string } | undefined;
    const start = st?.startTime ? Date.parse(st.startTime) : NaN;
    const end = st?.completionTime ? Date.parse(st.completionTime) : NaN;
    const seconds = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : 0;
    const namespace = obj.metadata.namespace ?? "default";
    if (obj.kind === "TaskRun") {
      this.taskRunDuration.observe({ namespace, status }, seconds);
      this.taskRunTotal.inc({ status });
    } else if (obj.kind === "PipelineRun") {
      const c = succeededCondition(obj.status);
      const prStatus = c?.status === "False" && c.reason !== "Cancelled" ? RunMetricStatus.Failed : status;
      this.pipelineRunDuration.observe({ namespace, status: prStatus }, seconds);
      this.pipelineRunTotal.inc({ status: prStatus });
    } else {
      this.customRunDuration.observe({ namespace, kind: obj.kind, status }, seconds);
      this.customRunTotal.inc({ kind: obj.kind, status });
    }
  }

  /** Records one API request. */
  observeRequest(verb: string, resource: string, code: number, seconds: number): void {
    this.requestDuration.observe({ verb, resource, code: String(code) }, seconds);
  }

  /** Records one reconcile (for the engine: `kind` "TaskRun"…, `result` "ok" | "error"). */
  observeReconcile(kind: string, seconds: number, result: "ok" | "error" = "ok"): void {
    this.reconcileDuration.observe({ kind, result }, seconds);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
