import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conditionText, renderTable, runDuration } from "./tables.js";

describe("server command text helpers", () => {
  it("words run states as tkn does", () => {
    assert.equal(conditionText({ type: "Succeeded", status: "True", reason: "Succeeded" }), "Succeeded");
    assert.equal(
      conditionText({ type: "Succeeded", status: "False", reason: "TaskRunTimeout" }),
      "Failed(TaskRunTimeout)",
    );
    assert.equal(
      conditionText({ type: "Succeeded", status: "False", reason: "TaskRunCancelled" }),
      "Cancelled(TaskRunCancelled)",
    );
    assert.equal(conditionText({ type: "Succeeded", status: "Unknown", reason: "Running" }), "Running");
    assert.equal(conditionText(undefined), "---");
  });

  it("measures durations in whole seconds and aligns table columns", () => {
    const start = "2026-01-01T00:00:00Z";
    assert.equal(runDuration(start, "2026-01-01T00:01:05Z", new Date()), "1m5s");
    assert.equal(runDuration(undefined, undefined, new Date()), "---");
    assert.equal(
      renderTable([
        ["NAME", "AGE"],
        ["a-long-name", "5s"],
      ]),
      "NAME          AGE\na-long-name   5s\n",
    );
  });
});
