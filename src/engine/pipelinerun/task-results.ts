/**
 * The results a finished pipeline task offers (its TaskRun's, its CustomRun's, or a matrix's
 * children's together) and the resolution of the result references of a task that uses them
 * (`resultrefresolution.go`).
 */
import type { CustomRunResult, ParamValue, TaskRunResult } from "../../api/types.js";
import { pipelineTaskResultRefs as taskResultRefs, type ResultRef } from "../../api/result-refs.js";
import { childDone, ChildKind } from "./children.js";
import type { FinishedTasks, TaskState } from "./task-state.js";

export interface ResolvedRef {
  ref: ResultRef;
  value: ParamValue;
}

export type RefResolution = { refs: ResolvedRef[] } | { error: string; task: string };

const INVALID = "Invalid task result reference";

/** A CustomRun result that is a JSON array becomes an array value. */
function customValue(v: string): ParamValue {
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => typeof x === "string"))
      return parsed as string[];
  } catch {
    // not JSON: a plain string
  }
  return v;
}

/** Results of a matrixed task: each result name → the values of every child, by child name. */
export function matrixResults(t: TaskState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const sorted = [...t.children].sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  for (const c of sorted) {
    for (const r of (c["status"] as { results?: TaskRunResult[] } | undefined)?.results ?? []) {
      const list = out.get(r.name) ?? [];
      list.push(typeof r.value === "string" ? r.value : JSON.stringify(r.value));
      out.set(r.name, list);
    }
  }
  return out;
}

/** The results of a finished task by name (TaskRun, CustomRun, or aggregated matrix). */
export function taskResults(facts: FinishedTasks, t: TaskState): Map<string, ParamValue> | undefined {
  if (!facts.successful(t) && !facts.failure(t)) return undefined;
  if (t.pt.matrix !== undefined && t.kind === ChildKind.TaskRun && t.names.length > 1) {
    return new Map(matrixResults(t));
  }
  const first = t.children[0];
  if (first === undefined) return undefined;
  const status = first["status"] as { results?: Array<TaskRunResult | CustomRunResult> } | undefined;
  const out = new Map<string, ParamValue>();
  for (const r of status?.results ?? []) {
    out.set(r.name, t.kind === ChildKind.CustomRun ? customValue(String(r.value)) : r.value);
  }
  return out;
}

/** Resolves every result reference of a task, or says which referenced task failed to provide one. */
export function resolveRefs(facts: FinishedTasks, t: TaskState): RefResolution {
  const refs: ResolvedRef[] = [];
  for (const ref of taskResultRefs(t.pt)) {
    const src = facts.byName.get(ref.pipelineTask);
    if (src === undefined)
      return {
        error: `could not find task ${JSON.stringify(ref.pipelineTask)} referenced by result`,
        task: ref.pipelineTask,
      };
    if (!src.children.every(childDone) || (!facts.successful(src) && !facts.failure(src)))
      return {
        error: `task ${JSON.stringify(ref.pipelineTask)} referenced by result was not finished`,
        task: ref.pipelineTask,
      };
    const value = taskResults(facts, src)?.get(ref.result);
    if (value === undefined)
      return {
        error: `${INVALID}: Could not find result with name ${ref.result} for pipeline task ${ref.pipelineTask}`,
        task: ref.pipelineTask,
      };
    refs.push({ ref, value });
  }
  return { refs };
}
