/**
 * The graph of a pipeline as the dashboard draws it: one node per pipeline task in columns by
 * depth (a task sits right of everything it waits for), edges for `runAfter` and for result
 * references, finally tasks in a column of their own, and each node's child runs (several for a
 * matrix fan-out) and skip reason from the PipelineRun's status.
 *
 * @module
 */

import type {
  ChildStatusReference,
  PipelineRunStatus,
  PipelineSpec,
  PipelineTask,
  SkippedTask,
} from "../../api/pipeline-types.js";
import { pipelineTaskResultRefs } from "../../api/result-refs.js";

/** What an edge stands for. */
export const EdgeKind = { RunAfter: "runAfter", Result: "result" } as const;
/** One of {@link EdgeKind}'s values. */
export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

/** A drawn pipeline task. */
export interface GraphNode {
  name: string;
  column: number;
  row: number;
  finally: boolean;
  /** Its child runs (more than one for a matrix). */
  children: ChildStatusReference[];
  /** The task fans out over a matrix. */
  matrix: boolean;
  skipped?: SkippedTask;
}

/** A drawn dependency `from` → `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

/** The whole graph. */
export interface PipelineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  columns: number;
  rows: number;
}

function edgesOf(task: PipelineTask, known: ReadonlySet<string>): GraphEdge[] {
  const out = new Map<string, GraphEdge>();
  for (const r of pipelineTaskResultRefs(task))
    if (known.has(r.pipelineTask))
      out.set(r.pipelineTask, { from: r.pipelineTask, to: task.name, kind: EdgeKind.Result });
  for (const dep of task.runAfter ?? [])
    if (known.has(dep) && !out.has(dep)) out.set(dep, { from: dep, to: task.name, kind: EdgeKind.RunAfter });
  return [...out.values()];
}

/** Lays out a pipeline spec, with the run's children and skipped tasks when a status is given. */
export function pipelineGraph(spec: PipelineSpec, status?: PipelineRunStatus): PipelineGraph {
  const tasks = spec.tasks ?? [];
  const finals = spec.finally ?? [];
  const known = new Set([...tasks, ...finals].map((t) => t.name));
  const edges = [...tasks, ...finals].flatMap((t) => edgesOf(t, known));
  const prev = new Map<string, string[]>();
  for (const e of edges) prev.set(e.to, [...(prev.get(e.to) ?? []), e.from]);

  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle (admission refuses these): draw it flat
    visiting.add(name);
    const d = Math.max(-1, ...(prev.get(name) ?? []).filter((p) => !finalNames.has(p)).map(depthOf)) + 1;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const finalNames = new Set(finals.map((t) => t.name));
  const children = new Map<string, ChildStatusReference[]>();
  for (const c of status?.childReferences ?? [])
    children.set(c.pipelineTaskName, [...(children.get(c.pipelineTaskName) ?? []), c]);
  const skipped = new Map((status?.skippedTasks ?? []).map((s) => [s.name, s]));

  const perColumn = new Map<number, number>();
  const place = (t: PipelineTask, column: number, isFinally: boolean): GraphNode => {
    const row = perColumn.get(column) ?? 0;
    perColumn.set(column, row + 1);
    const s = skipped.get(t.name);
    return {
      name: t.name,
      column,
      row,
      finally: isFinally,
      children: children.get(t.name) ?? [],
      matrix: t.matrix !== undefined,
      ...(s !== undefined ? { skipped: s } : {}),
    };
  };
  const nodes = tasks.map((t) => place(t, depthOf(t.name), false));
  const finallyColumn = nodes.reduce((m, n) => Math.max(m, n.column + 1), 0);
  nodes.push(...finals.map((t) => place(t, finallyColumn, true)));
  return {
    nodes,
    edges,
    columns: nodes.reduce((m, n) => Math.max(m, n.column + 1), 0),
    rows: Math.max(0, ...perColumn.values()),
  };
}
