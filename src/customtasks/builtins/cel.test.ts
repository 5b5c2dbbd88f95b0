/** The built-in CEL task: results as strings, tektoncd/experimental's reasons and messages. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { CustomRunStatus } from "../../api/types.js";
import { alphaRun, customRun, startHarness, type Harness } from "../../engine/customrun/harness.js";
import { celTask, celToString } from "./cel.js";

const CEL = { apiVersion: "cel.tekton.dev/v1alpha1", kind: "CEL" };
const cond = (s: CustomRunStatus | undefined) => {
  const c = s?.conditions?.find((x) => x.type === "Succeeded");
  return c ? [c.status, c.reason, c.message] : [];
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("CEL", () => {
  it("evaluates each param and reports the values as string results named after the params", async () => {
    h = startHarness([celTask]);
    await h.create(
      customRun("cel", CEL, {
        params: [
          { name: "red", value: "{'blue': '0x000080', 'red': '0xFF0000'}['red']" },
          { name: "is-red", value: "{'blue': '0x000080', 'red': '0xFF0000'}['red'] == '0xFF0000'" },
          { name: "sum", value: "1 + 2" },
          { name: "kind", value: "type(1)" },
        ],
      }),
    );
    const s = h.status("cel");
    assert.deepEqual(cond(s), ["True", "EvaluationSuccess", "CEL expressions were evaluated successfully"]);
    assert.deepEqual(s.results, [
      { name: "red", value: "0xFF0000" },
      { name: "is-red", value: "true" },
      { name: "sum", value: "3" },
      { name: "kind", value: "int" },
    ]);
  });

  it("fails an expression that does not parse with SyntaxError naming the param", async () => {
    h = startHarness([celTask]);
    await h.create(customRun("syntax", CEL, { params: [{ name: "broken", value: "1 +" }] }));
    assert.deepEqual(cond(h.status("syntax")), [
      "False",
      "SyntaxError",
      "CEL expression broken could not be parsed: Unexpected token: EOF",
    ]);
  });

  it("fails an expression that cannot be evaluated with EvaluationError naming the param", async () => {
    h = startHarness([celTask]);
    await h.create(customRun("eval", CEL, { params: [{ name: "div", value: "1 / 0" }] }));
    assert.deepEqual(cond(h.status("eval")), [
      "False",
      "EvaluationError",
      "CEL expression div could not be evaluated: division by zero",
    ]);
  });

  it("fails without params with CustomRunValidationFailed (RunValidationFailed for a Run)", async () => {
    h = startHarness([celTask]);
    await h.create(customRun("none", CEL));
    await h.create(alphaRun("none-run", CEL));
    assert.deepEqual(cond(h.status("none")), [
      "False",
      "CustomRunValidationFailed",
      "CustomRun can't be run because it has an invalid spec - missing field(s): params",
    ]);
    assert.deepEqual(cond(h.status("none-run", "Run")), [
      "False",
      "RunValidationFailed",
      "Run can't be run because it has an invalid spec - missing field(s): params",
    ]);
  });

  it("renders CEL values as cel-go's string conversion does", () => {
    assert.equal(celToString(3n), "3");
    assert.equal(celToString(1.5), "1.5");
    assert.equal(celToString(false), "false");
    assert.equal(celToString(new Uint8Array([104, 105])), "hi");
    assert.equal(celToString([1n, "a"]), '[1,"a"]');
  });
});
