import assert from "node:assert/strict";
import { test } from "node:test";
import type { PipelineSpec } from "../../api/pipeline-types.js";
import { pipelineGraph } from "./graph.js";

const spec: PipelineSpec = {
  tasks: [
    { name: "fetch", taskRef: { name: "git" } },
    { name: "lint", runAfter: ["fetch"], taskRef: { name: "lint" } },
    {
      name: "build",
      taskRef: { name: "build" },
      params: [{ name: "rev", value: "$(tasks.fetch.results.commit)" }],
      matrix: { params: [{ name: "arch", value: ["amd64", "arm64"] }] },
    },
    { name: "deploy", runAfter: ["lint", "build"], taskRef: { name: "deploy" } },
  ],
  finally: [
    {
      name: "notify",
      params: [{ name: "s", value: "$(tasks.build.results.image)" }],
      taskRef: { name: "n" },
    },
  ],
};

test("places each task right of what it waits for, and finally tasks in a column after all", () => {
  const g = pipelineGraph(spec);
  const at = Object.fromEntries(g.nodes.map((n) => [n.name, [n.column, n.row, n.finally]]));
  assert.deepEqual(at, {
    fetch: [0, 0, false],
    lint: [1, 0, false],
    build: [1, 1, false],
    deploy: [2, 0, false],
    notify: [3, 0, true],
  });
  assert.equal(g.columns, 4);
  assert.equal(g.rows, 2);
});

test("draws runAfter and result-reference edges, finally's references included", () => {
  const g = pipelineGraph(spec);
  assert.deepEqual(
    g.edges.map((e) => `${e.from}->${e.to}:${e.kind}`),
    [
      "fetch->lint:runAfter",
      "fetch->build:result",
      "lint->deploy:runAfter",
      "build->deploy:runAfter",
      "build->notify:result",
    ],
  );
});

test("groups a matrix task's children on one node and keeps the skip reason of skipped tasks", () => {
  const g = pipelineGraph(spec, {
    childReferences: [
      { apiVersion: "tekton.dev/v1", kind: "TaskRun", name: "pr-build-0", pipelineTaskName: "build" },
      { apiVersion: "tekton.dev/v1", kind: "TaskRun", name: "pr-build-1", pipelineTaskName: "build" },
      { apiVersion: "tekton.dev/v1", kind: "TaskRun", name: "pr-fetch", pipelineTaskName: "fetch" },
    ],
    skippedTasks: [{ name: "deploy", reason: "When Expressions evaluated to false" }],
  });
  const build = g.nodes.find((n) => n.name === "build");
  assert.equal(build?.matrix, true);
  assert.deepEqual(
    build?.children.map((c) => c.name),
    ["pr-build-0", "pr-build-1"],
  );
  assert.equal(
    g.nodes.find((n) => n.name === "deploy")?.skipped?.reason,
    "When Expressions evaluated to false",
  );
});
