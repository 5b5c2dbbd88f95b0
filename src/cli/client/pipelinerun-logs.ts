/**
 * Printing a PipelineRun's logs from the API server, like `tkn pipelinerun logs`: the step logs
 * of each child TaskRun (in the order they were created), lines prefixed `[<task>/<step>]`. With
 * `follow`, children are followed as they appear until the PipelineRun is done.
 *
 * @module
 */
import { PipelineLabel } from "../../api/reasons.js";
import type { PipelineRun } from "../../api/pipeline-types.js";
import type { TaskRun } from "../../api/types.js";
import type { ApiClient } from "./http.js";
import { collectionPath, kindByWord } from "./resources.js";
import { TaskRunLogs, hasSteps, type LinePrinter, type LogSelection } from "./taskrun-logs.js";
import { getObject, waitForObject } from "./watch.js";
import { isFinished } from "../output/tables.js";

const PIPELINERUN = kindByWord("pipelinerun");
const TASKRUN = kindByWord("taskrun");

/** Names lines after the pipeline task: container `step-x` of task `t` prints as `t/x`. */
class TaskPrefixed implements LinePrinter {
  constructor(
    private readonly inner: LinePrinter,
    private readonly task: string,
  ) {}
  private name(container: string): string {
    return `${this.task}/${container.startsWith("step-") ? container.slice(5) : container}`;
  }
  write(container: string, chunk: Buffer | string): void {
    this.inner.write(this.name(container), chunk);
  }
  flush(container: string): void {
    this.inner.flush(this.name(container));
  }
}

/** Which pipeline tasks to print (empty: all). */
export interface TaskSelection extends LogSelection {
  tasks: string[];
}

/** The child TaskRuns of a PipelineRun, oldest first. */
async function children(client: ApiClient, pr: string): Promise<TaskRun[]> {
  const list = await client.request<{ items?: TaskRun[] }>("GET", collectionPath(TASKRUN, client.namespace), {
    query: { labelSelector: `${PipelineLabel.PipelineRun}=${pr}` },
  });
  return (list.items ?? []).sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
      (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
  );
}

function selected(sel: TaskSelection, tr: TaskRun): boolean {
  return sel.tasks.length === 0 || sel.tasks.includes(taskOf(tr));
}

/** How many child TaskRuns a PipelineRun reports. */
function taskRunChildren(pr: PipelineRun): number {
  return (pr.status?.childReferences ?? []).filter((c) => c.kind === "TaskRun").length;
}

function taskOf(tr: TaskRun): string {
  return tr.metadata.labels?.[PipelineLabel.PipelineTask] ?? tr.metadata.name ?? "";
}

/** Prints the current logs of every child that has a pod; returns the PipelineRun. */
export async function printPipelineRunLogs(
  client: ApiClient,
  name: string,
  sel: TaskSelection,
  printer: LinePrinter,
): Promise<PipelineRun> {
  const pr = await getObject<PipelineRun>(client, PIPELINERUN, client.namespace, name);
  for (const tr of await children(client, name)) {
    if (!selected(sel, tr)) continue;
    const pod = tr.status?.podName;
    if (pod === undefined || pod === "") continue;
    const logs = new TaskRunLogs(client, tr.metadata.name ?? "", sel, new TaskPrefixed(printer, taskOf(tr)));
    await logs.printAttempt(pod, tr, false);
  }
  return pr;
}

/** Follows each child as it appears, to its end, until the PipelineRun is done; returns it. */
export async function followPipelineRunLogs(
  client: ApiClient,
  name: string,
  sel: TaskSelection,
  printer: LinePrinter,
): Promise<PipelineRun> {
  const printed = new Set<string>();
  for (;;) {
    const pr = await getObject<PipelineRun>(client, PIPELINERUN, client.namespace, name);
    const fresh = (await children(client, name)).filter((tr) => !printed.has(tr.metadata.name ?? ""));
    for (const tr of fresh) {
      const trName = tr.metadata.name ?? "";
      printed.add(trName);
      if (!selected(sel, tr)) continue;
      const ready = await waitForObject<TaskRun>(
        client,
        TASKRUN,
        client.namespace,
        trName,
        (o) => isFinished(o) || hasSteps(o),
      );
      if ((ready.status?.podName ?? "") === "") continue;
      await new TaskRunLogs(client, trName, sel, new TaskPrefixed(printer, taskOf(tr))).follow();
    }
    if (fresh.length > 0) continue;
    if (isFinished(pr)) return pr;
    // Nothing new: wait for the PipelineRun to change (a child created, or the end).
    await waitForObject<PipelineRun>(
      client,
      PIPELINERUN,
      client.namespace,
      name,
      (o) => isFinished(o) || taskRunChildren(o) > printed.size,
    );
  }
}
