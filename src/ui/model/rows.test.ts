import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/types.js";
import { rowOf, matchesText, sortRows } from "./rows.js";
import { runState, runDuration, stepState } from "./status.js";
import { visibleRows } from "./window.js";

function run(
  name: string,
  reason: string,
  status: "True" | "False" | "Unknown",
  start: string,
  end?: string,
): KubeObject {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { name, namespace: "default", labels: { app: "web" } },
    spec: { taskRef: { name: "build" } },
    status: {
      conditions: [{ type: "Succeeded", status, reason }],
      startTime: start,
      ...(end ? { completionTime: end } : {}),
    },
  };
}

test("shows cancelled, failed, running, pending and succeeded runs by their condition", () => {
  assert.equal(runState(run("a", "TaskRunCancelled", "False", "2026-01-01T00:00:00Z")), "cancelled");
  assert.equal(runState(run("a", "Cancelled", "False", "2026-01-01T00:00:00Z")), "cancelled");
  assert.equal(runState(run("a", "Failed", "False", "2026-01-01T00:00:00Z")), "failed");
  assert.equal(runState(run("a", "Running", "Unknown", "2026-01-01T00:00:00Z")), "running");
  assert.equal(runState(run("a", "TaskRunPending", "Unknown", "2026-01-01T00:00:00Z")), "pending");
  assert.equal(runState(run("a", "Succeeded", "True", "2026-01-01T00:00:00Z")), "succeeded");
  assert.equal(runState({ apiVersion: "v1", kind: "TaskRun", metadata: {} }), "pending");
  assert.equal(stepState({ terminated: { exitCode: 1 } }), "failed");
  assert.equal(stepState({ running: {} }), "running");
});

test("durations run to completion, or to now while running", () => {
  const now = new Date("2026-01-01T01:00:00Z");
  assert.equal(runDuration("2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z", now), "1m 5s");
  assert.equal(runDuration("2026-01-01T00:00:00Z", undefined, now), "1h 0m");
  assert.equal(runDuration(undefined, undefined, now), undefined);
});

test("filters by name, reason, ref or label text and sorts by each column", () => {
  const rows = [
    run("b-run", "Failed", "False", "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z"),
    run("a-run", "Succeeded", "True", "2026-01-01T00:05:00Z", "2026-01-01T00:06:00Z"),
    run("c-run", "Running", "Unknown", "2026-01-01T00:07:00Z"),
  ].map(rowOf);
  assert.deepEqual(
    rows.filter((r) => matchesText(r, "fail")).map((r) => r.name),
    ["b-run"],
  );
  assert.equal(rows.filter((r) => matchesText(r, "app=web")).length, 3);
  assert.equal(rows[0]?.ref, "build");
  const now = new Date("2026-01-01T00:08:00Z");
  const names = (key: "name" | "status" | "started" | "duration", descending: boolean) =>
    sortRows(rows, { key, descending }, now).map((r) => r.name);
  assert.deepEqual(names("name", false), ["a-run", "b-run", "c-run"]);
  assert.deepEqual(names("started", true), ["c-run", "a-run", "b-run"]);
  // a-run and c-run both took a minute: the tie goes by name.
  assert.deepEqual(names("duration", true), ["b-run", "a-run", "c-run"]);
  assert.deepEqual(names("status", false), ["c-run", "b-run", "a-run"]);
});

test("renders only the rows in view, plus overscan", () => {
  assert.deepEqual(visibleRows(0, 360, 36, 10_000, 5), { start: 0, end: 16 });
  assert.deepEqual(visibleRows(36_000, 360, 36, 10_000, 5), { start: 995, end: 1_000 + 11 + 5 });
  assert.deepEqual(visibleRows(359_640, 360, 36, 10_000, 5), { start: 9_985, end: 10_000 });
  assert.deepEqual(visibleRows(0, 360, 36, 0), { start: 0, end: 0 });
});
