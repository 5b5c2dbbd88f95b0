import { strict as assert } from "node:assert";
import { describe, test } from "node:test";
import { BadRequestError } from "./errors.js";
import { matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";

const matches = (selector: string, labels?: Record<string, string>): boolean =>
  matchesLabels(parseLabelSelector(selector), labels);

void describe("label selectors", () => {
  void test("matches everything with an empty selector", () => {
    assert.equal(matches("", undefined), true);
    assert.equal(matches("  ", { a: "b" }), true);
  });

  void test("accepts prefixed keys and whitespace around operators", () => {
    assert.equal(matches("tekton.dev/task = build", { "tekton.dev/task": "build" }), true);
    assert.equal(matches("tekton.dev/task in ( build , test )", { "tekton.dev/task": "test" }), true);
  });

  void test("lets != and notin match objects without the label", () => {
    assert.equal(matches("a!=b", undefined), true);
    assert.equal(matches("a notin (b)", {}), true);
    assert.equal(matches("a in (b)", {}), false);
  });

  void test("compares integers with > and <", () => {
    assert.equal(matches("n>3", { n: "4" }), true);
    assert.equal(matches("n<3", { n: "4" }), false);
    assert.equal(matches("n>3", { n: "x" }), false);
  });

  void test("matches an empty value only when the label is present and empty", () => {
    assert.equal(matches("a=", { a: "" }), true);
    assert.equal(matches("a=", {}), false);
  });

  void test("reports a malformed selector as BadRequest with the offending text", () => {
    assert.throws(
      () => parseLabelSelector("a in b"),
      (e: unknown) => e instanceof BadRequestError && /a in b/.test(e.message),
    );
    assert.throws(() => parseLabelSelector("a,,b"), BadRequestError);
    assert.throws(() => parseLabelSelector("-a=b"), /invalid label key/);
    assert.throws(() => parseLabelSelector("a=-b"), /invalid label value/);
  });
});

void describe("field selectors", () => {
  void test("accepts the type's selectable fields besides metadata.name and metadata.namespace", () => {
    assert.deepEqual(parseFieldSelector("involvedObject.name=x", ["involvedObject.name"]), [
      { path: "involvedObject.name", negate: false, value: "x" },
    ]);
    assert.throws(() => parseFieldSelector("involvedObject.name=x"), /field label not supported/);
  });
});
