import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideStepWhen } from "./step-when.js";

void describe("decideStepWhen", () => {
  void it("runs a step whose CEL and input/operator/values all hold", () => {
    assert.deepEqual(
      decideStepWhen([{ cel: "'a' == 'a'" }, { input: "x", operator: "in", values: ["x", "y"] }]),
      { kind: "run" },
    );
    assert.deepEqual(decideStepWhen(undefined), { kind: "run" });
  });

  void it("skips a step when a CEL expression or an input/operator/values expression is false", () => {
    assert.deepEqual(decideStepWhen([{ cel: "1 > 2" }]), { kind: "skip" });
    assert.deepEqual(decideStepWhen([{ input: "x", operator: "notin", values: ["x"] }]), { kind: "skip" });
  });

  void it("fails a step whose CEL expression is not a boolean, unless an earlier one was false", () => {
    assert.deepEqual(decideStepWhen([{ cel: "'text'" }]), {
      kind: "error",
      message: "the CEL expression 'text' is not evaluated to a boolean",
    });
    assert.deepEqual(decideStepWhen([{ cel: "false" }, { cel: "'text'" }]), { kind: "skip" });
    assert.equal(decideStepWhen([{ cel: "1 +" }]).kind, "error");
  });
});
