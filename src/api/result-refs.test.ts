import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseResultRef, pipelineTaskDeps, substitutionExpressions } from "./result-refs.js";

describe("result references", () => {
  it("extracts substitution expressions", () => {
    assert.deepEqual(substitutionExpressions("a $(params.x) b $(tasks.t.results.r[*]) $(bad space)"), [
      "params.x",
      "tasks.t.results.r[*]",
    ]);
  });

  it("parses string, indexed, whole-array and object references", () => {
    assert.deepEqual(parseResultRef("tasks.a.results.r"), { pipelineTask: "a", result: "r", type: "string" });
    assert.deepEqual(parseResultRef("tasks.a.results.r[2]"), {
      pipelineTask: "a",
      result: "r",
      type: "array",
      index: 2,
    });
    assert.deepEqual(parseResultRef("tasks.a.results.r[*]"), {
      pipelineTask: "a",
      result: "r",
      type: "array",
    });
    assert.deepEqual(parseResultRef("finally.f.results.o.key"), {
      pipelineTask: "f",
      result: "o",
      type: "object",
      property: "key",
    });
    assert.equal(parseResultRef("tasks.a.status"), undefined);
    assert.equal(parseResultRef("tasks.a.results.o.k.extra"), undefined);
  });

  it("collects dependencies from params, matrix, when and runAfter, sorted and unique", () => {
    assert.deepEqual(
      pipelineTaskDeps({
        name: "t",
        runAfter: ["z", "a"],
        params: [{ name: "p", value: ["$(tasks.b.results.x)", "$(tasks.a.results.y)"] }],
        matrix: { include: [{ name: "i", params: [{ name: "q", value: "$(tasks.m.results.r)" }] }] },
        when: [{ input: "x", operator: "in", values: ["$(tasks.w.results.v)"] }],
      }),
      ["a", "b", "m", "w", "z"],
    );
  });
});
