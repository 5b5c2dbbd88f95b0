import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findServed } from "./resources.js";
import { toTable } from "./table.js";

describe("tables", () => {
  it("prints TaskRuns with Tekton's printer columns", () => {
    const served = findServed("tekton.dev", "v1", "taskruns");
    assert.ok(served);
    const table = toTable(
      served,
      [
        {
          apiVersion: "tekton.dev/v1",
          kind: "TaskRun",
          metadata: { name: "tr" },
          status: {
            conditions: [{ type: "Succeeded", status: "False", reason: "TaskRunTimeout" }],
            startTime: "2026-01-01T00:00:00Z",
            completionTime: "2026-01-01T00:01:00Z",
          },
        },
      ],
      { now: new Date("2026-01-01T00:02:00Z"), include: "Partial" },
    ) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ["Name", "Succeeded", "Reason", "StartTime", "CompletionTime"],
    );
    assert.deepEqual(table.rows[0]?.cells, ["tr", "False", "TaskRunTimeout", "2m", "60s"]);
  });

  it("prints PipelineRuns with Tekton's printer columns and Pipelines with their age", () => {
    const runs = findServed("tekton.dev", "v1", "pipelineruns");
    const pipelines = findServed("tekton.dev", "v1beta1", "pipelines");
    assert.ok(runs && pipelines);
    const now = new Date("2026-01-01T00:02:00Z");
    const table = toTable(
      runs,
      [
        {
          apiVersion: "tekton.dev/v1",
          kind: "PipelineRun",
          metadata: { name: "pr" },
          status: {
            conditions: [{ type: "Succeeded", status: "Unknown", reason: "Running" }],
            startTime: "2026-01-01T00:00:00Z",
          },
        },
      ],
      { now, include: "None" },
    ) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    assert.deepEqual(
      table.columnDefinitions.map((c) => c.name),
      ["Name", "Succeeded", "Reason", "StartTime", "CompletionTime"],
    );
    assert.deepEqual(table.rows[0]?.cells, ["pr", "Unknown", "Running", "2m", ""]);
    const p = toTable(
      pipelines,
      [
        {
          apiVersion: "tekton.dev/v1",
          kind: "Pipeline",
          metadata: { name: "p", creationTimestamp: "2026-01-01T00:01:00Z" },
        },
      ],
      { now, include: "None" },
    ) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    assert.deepEqual(
      p.columnDefinitions.map((c) => c.name),
      ["Name", "Age"],
    );
    assert.deepEqual(p.rows[0]?.cells, ["p", "60s"]);
  });
});
