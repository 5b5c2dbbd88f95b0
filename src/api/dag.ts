/**
 * A pipeline's task graph as Tekton builds it (`pkg/reconciler/pipeline/dag`): one node per
 * pipeline task, an edge for each dependency (`runAfter` and result references), Tekton's
 * messages for a duplicate task, a cycle or a dependency on a task that is not in the pipeline,
 * and the tasks that can be scheduled once some are done (`GetCandidateTasks`).
 *
 * @module
 */

import type { PipelineTask } from "./pipeline-types.js";
import { pipelineTaskDeps } from "./result-refs.js";

/** A graph that cannot be built; `message` is Tekton's `dag.Build` error text. */
export class DagError extends Error {
  override readonly name = "DagError";
}

/** One node: the tasks it waits for and the tasks waiting for it. */
export interface DagNode {
  readonly key: string;
  readonly prev: readonly string[];
  readonly next: readonly string[];
}

/** The built graph, nodes in the pipeline's task order. */
export interface Dag {
  readonly nodes: ReadonlyMap<string, DagNode>;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `findCyclesInDependencies`: peels off tasks whose dependencies are all satisfied; what is left
 * holds a cycle, reported for the smallest remaining task name.
 */
function findCycle(deps: ReadonlyMap<string, readonly string[]>): string | undefined {
  const waiting = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  const independent: string[] = [];
  for (const [task, taskDeps] of deps) {
    if (taskDeps.length === 0) continue;
    waiting.set(task, new Set(taskDeps));
    for (const dep of taskDeps) {
      if ((deps.get(dep)?.length ?? 0) === 0 && !independent.includes(dep)) independent.push(dep);
      let set = children.get(dep);
      if (set === undefined) children.set(dep, (set = new Set()));
      set.add(task);
    }
  }
  for (let parent = independent.pop(); parent !== undefined; parent = independent.pop()) {
    for (const child of children.get(parent) ?? []) {
      const w = waiting.get(child);
      if (w === undefined) continue;
      w.delete(parent);
      if (w.size === 0) {
        waiting.delete(child);
        independent.push(child);
      }
    }
    children.delete(parent);
  }
  if (waiting.size === 0) return undefined;
  const first = [...waiting.keys()].sort(byteCompare)[0] ?? "";
  const on = [...(waiting.get(first) ?? [])].sort(byteCompare).map((d) => JSON.stringify(d));
  return `task ${JSON.stringify(first)} depends on ${on.join(", ")}`;
}

/**
 * `dag.Build` over pipeline tasks with their `Deps` (pass `withDeps: false` for finally tasks,
 * which have no edges between them).
 * @throws DagError with Tekton's message.
 */
export function buildDag(tasks: readonly PipelineTask[], opts: { withDeps?: boolean } = {}): Dag {
  const prev = new Map<string, string[]>();
  const next = new Map<string, string[]>();
  for (const t of tasks) {
    if (prev.has(t.name)) {
      throw new DagError(
        `task ${t.name} is already present in Graph, can't add it again: duplicate pipeline task`,
      );
    }
    prev.set(t.name, []);
    next.set(t.name, []);
  }
  const deps = new Map<string, string[]>();
  if (opts.withDeps !== false) {
    for (const t of tasks) {
      const d = pipelineTaskDeps(t);
      if (d.length > 0) deps.set(t.name, d);
    }
  }
  const cycle = findCycle(deps);
  if (cycle !== undefined) throw new DagError(`cycle detected; ${cycle}`);
  for (const [task, taskDeps] of deps) {
    for (const dep of taskDeps) {
      const after = next.get(dep);
      if (after === undefined) {
        throw new DagError(
          `couldn't add link between ${task} and ${dep}: task ${task} depends on ${dep} but ${dep} wasn't present in Pipeline`,
        );
      }
      after.push(task);
      prev.get(task)?.push(dep);
    }
  }
  const nodes = new Map<string, DagNode>();
  for (const t of tasks) {
    if (!nodes.has(t.name))
      nodes.set(t.name, { key: t.name, prev: prev.get(t.name) ?? [], next: next.get(t.name) ?? [] });
  }
  return { nodes };
}

/**
 * `GetCandidateTasks`: the tasks not done whose dependencies are all done, reachable from the
 * roots through done tasks.
 * @throws DagError when a task is marked done while one of its ancestors is not.
 */
export function candidateTasks(dag: Dag, done: ReadonlySet<string>): Set<string> {
  const visited = new Set<string>();
  const out = new Set<string>();
  const visit = (key: string): void => {
    if (visited.has(key)) return;
    visited.add(key);
    const node = dag.nodes.get(key);
    if (node === undefined) return;
    if (done.has(key)) {
      for (const n of node.next) visit(n);
      return;
    }
    if (node.prev.every((p) => done.has(p))) out.add(key);
  };
  for (const node of dag.nodes.values()) if (node.prev.length === 0) visit(node.key);
  const notVisited = [...done].filter((d) => !visited.has(d));
  if (notVisited.length > 0) {
    throw new DagError(
      `invalid list of done tasks; some tasks were indicated completed without ancestors being done: [${notVisited.join(" ")}]`,
    );
  }
  return out;
}
