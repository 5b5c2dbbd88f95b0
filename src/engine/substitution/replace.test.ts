import { test } from "node:test";
import assert from "node:assert/strict";
import { applyArrayReplacements, applyReplacements, applyToList } from "./replace.js";

const strings = new Map([
  ["params.a", "A"],
  ["params.b", "$(params.a)"],
]);

void test("replaces every known reference in one pass and leaves unknown ones literal", () => {
  assert.equal(applyReplacements("x-$(params.a)-$(foo)-$(params.a)", strings), "x-A-$(foo)-A");
});

void test("does not re-scan a value inserted by the same pass", () => {
  assert.equal(applyReplacements("$(params.b)", strings), "$(params.a)");
});

void test("finds a reference nested after an unknown opener", () => {
  assert.equal(applyReplacements("$($(params.a))", strings), "$(A)");
  assert.equal(applyReplacements("$(params.a", strings), "$(params.a");
});

void test("splices an array only when the element is exactly the reference", () => {
  const r = {
    strings: new Map([["params.arr[0]", "x"]]),
    arrays: new Map([["params.arr", ["x", "y"]]]),
    objects: new Map(),
  };
  assert.deepEqual(applyArrayReplacements("$(params.arr)", r), ["x", "y"]);
  assert.deepEqual(applyArrayReplacements("$(params.arr[*])", r), ["x", "y"]);
  assert.deepEqual(applyArrayReplacements("-$(params.arr[*])", r), ["-$(params.arr[*])"]);
  assert.deepEqual(applyArrayReplacements("$(params.arr[0])", r), ["x"]);
});

void test("drops a list that becomes empty, as Kubernetes omits it", () => {
  const r = { strings: new Map(), arrays: new Map([["params.none", []]]), objects: new Map() };
  assert.equal(applyToList(["$(params.none[*])"], r), undefined);
  assert.deepEqual(applyToList(["a", "$(params.none)", "b"], r), ["a", "b"]);
});
