/**
 * Printing a TaskRun's step logs from the API server: each attempt's pod, its step containers in
 * order (sidecars with `all`), followed while they run. Shared by `tektite logs taskrun` and
 * `tektite logs pipelinerun` (which prefixes lines with the pipeline task's name).
 *
 * @module
 */
import type { StepState, TaskRun, TaskRunStatus } from "../../api/types.js";
import { ApiStatusError } from "./errors.js";
import type { ApiClient } from "./http.js";
import { kindByWord, podLogPath } from "./resources.js";
import { getObject, waitForObject } from "./watch.js";
import { isFinished } from "../output/tables.js";

/** Where lines go: one writer per container name, flushed when the container is done. */
export interface LinePrinter {
  write(container: string, chunk: Buffer | string): void;
  flush(container: string): void;
}

/** Which containers to print. */
export interface LogSelection {
  /** Only these steps (empty: all). */
  step: string[];
  /** Sidecars too. */
  all?: boolean;
}

const TASKRUN = kindByWord("taskrun");

/** The attempt of a TaskRun whose pod is `podName` (current or archived). */
export function attemptOf(tr: TaskRun, podName: string): TaskRunStatus | undefined {
  if (tr.status?.podName === podName) return tr.status;
  return tr.status?.retriesStatus?.find((r) => r.podName === podName);
}

/** Container names of an attempt, in order, filtered by `--step` (sidecars only with `--all`). */
function containersOf(status: TaskRunStatus, opts: LogSelection): string[] {
  const wanted = (s: StepState): boolean => opts.step.length === 0 || opts.step.includes(s.name);
  const steps = (status.steps ?? []).filter(wanted).map((s) => s.container ?? `step-${s.name}`);
  const sidecars = opts.all ? (status.sidecars ?? []).map((s) => s.container ?? `sidecar-${s.name}`) : [];
  return [...steps, ...sidecars];
}

/** The logs of one TaskRun. */
export class TaskRunLogs {
  constructor(
    private readonly client: ApiClient,
    private readonly name: string,
    private readonly opts: LogSelection,
    private readonly printer: LinePrinter,
  ) {}

  private get ns(): string {
    return this.client.namespace;
  }

  /** Prints one attempt's containers; following each one while it runs when `follow`. */
  async printAttempt(podName: string, first: TaskRun, follow: boolean): Promise<void> {
    let tr = first;
    for (let i = 0; ; i++) {
      const attempt = attemptOf(tr, podName);
      const container = attempt !== undefined ? containersOf(attempt, this.opts)[i] : undefined;
      if (container === undefined) return;
      await this.printContainer(podName, container, follow);
      if (follow) tr = await getObject<TaskRun>(this.client, TASKRUN, this.ns, this.name);
    }
  }

  private async printContainer(podName: string, container: string, follow: boolean): Promise<void> {
    const path = podLogPath(this.ns, podName);
    try {
      if (follow) {
        await this.client.stream(path, { query: { container, follow: "true" } }, (chunk) =>
          this.printer.write(container, chunk),
        );
      } else {
        this.printer.write(container, await this.client.text(path, { query: { container } }));
      }
    } catch (err) {
      // A container still waiting to start (400) has no log yet.
      if (!(err instanceof ApiStatusError) || err.code !== 400) throw err;
    } finally {
      this.printer.flush(container);
    }
  }

  /** `-f`: every attempt from the current one on, until the TaskRun is done. */
  async follow(): Promise<TaskRun> {
    let tr = await waitForObject<TaskRun>(
      this.client,
      TASKRUN,
      this.ns,
      this.name,
      (o) => isFinished(o) || hasSteps(o),
    );
    for (;;) {
      const pod = tr.status?.podName;
      if (pod === undefined || pod === "") return tr;
      await this.printAttempt(pod, tr, true);
      tr = await waitForObject<TaskRun>(
        this.client,
        TASKRUN,
        this.ns,
        this.name,
        (o) => isFinished(o) || (o.status?.podName !== pod && hasSteps(o)),
      );
      if (tr.status?.podName === pod) return tr;
      process.stderr.write(
        `retrying: attempt ${tr.status?.retriesStatus?.length ?? 0} in pod ${tr.status?.podName ?? ""}\n`,
      );
    }
  }
}

export function hasSteps(tr: TaskRun): boolean {
  return (tr.status?.podName ?? "") !== "" && (tr.status?.steps?.length ?? 0) > 0;
}
