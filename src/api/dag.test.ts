import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DagError, buildDag, candidateTasks } from "./dag.js";
import type { PipelineTask } from "./pipeline-types.js";

const task = (name: string, extra: Partial<PipelineTask> = {}): PipelineTask => ({
  name,
  taskRef: { name: "t" },
  ...extra,
});

describe("pipeline task graph", () => {
  it("orders tasks by runAfter and by result references", () => {
    const dag = buildDag([
      task("a"),
      task("b", { runAfter: ["a"] }),
      task("c", { params: [{ name: "p", value: "$(tasks.b.results.out)" }] }),
      task("d", { when: [{ input: "$(tasks.a.results.x[*])", operator: "in", values: ["y"] }] }),
    ]);
    assert.deepEqual(dag.nodes.get("c")?.prev, ["b"]);
    assert.deepEqual(dag.nodes.get("a")?.next.slice().sort(), ["b", "d"]);
    assert.deepEqual([...candidateTasks(dag, new Set())], ["a"]);
    assert.deepEqual([...candidateTasks(dag, new Set(["a"]))].sort(), ["b", "d"]);
    assert.deepEqual([...candidateTasks(dag, new Set(["a", "b", "d"]))], ["c"]);
  });

  it("finds result references in an embedded spec's steps", () => {
    const dag = buildDag([
      task("a"),
      { name: "b", taskSpec: { steps: [{ image: "x", script: "echo $(tasks.a.results.r.key)" }] } },
    ]);
    assert.deepEqual(dag.nodes.get("b")?.prev, ["a"]);
  });

  it("reports a cycle as Tekton does", () => {
    assert.throws(
      () => buildDag([task("a", { runAfter: ["b"] }), task("b", { runAfter: ["a"] }), task("c")]),
      (e: unknown) => e instanceof DagError && e.message === 'cycle detected; task "a" depends on "b"',
    );
    assert.throws(() => buildDag([task("x", { runAfter: ["x"] })]), {
      message: 'cycle detected; task "x" depends on "x"',
    });
  });

  it("reports a dependency on a task that is not in the pipeline", () => {
    assert.throws(() => buildDag([task("a", { runAfter: ["nope"] })]), {
      message:
        "couldn't add link between a and nope: task a depends on nope but nope wasn't present in Pipeline",
    });
  });

  it("reports a duplicate task", () => {
    assert.throws(() => buildDag([task("a"), task("a")]), {
      message: "task a is already present in Graph, can't add it again: duplicate pipeline task",
    });
  });

  it("rejects done tasks whose ancestors are not done", () => {
    const dag = buildDag([task("a"), task("b", { runAfter: ["a"] })]);
    assert.throws(() => candidateTasks(dag, new Set(["b"])), {
      message:
        "invalid list of done tasks; some tasks were indicated completed without ancestors being done: [b]",
    });
  });
});
