import { test } from "node:test";
import assert from "node:assert/strict";
import { paramReplacements, resolveParams } from "./params.js";

void test("takes defaults, then TaskRun values override them", () => {
  const values = resolveParams(
    [{ name: "a", default: "da" }, { name: "b", default: "db" }, { name: "c" }],
    [{ name: "b", value: "given" }],
    { propagate: false },
  );
  assert.deepEqual(
    [...values],
    [
      ["a", "da"],
      ["b", "given"],
    ],
  );
});

void test("merges an object value key-wise over its object default", () => {
  const values = resolveParams(
    [{ name: "o", properties: { k1: {}, k2: {} }, default: { k1: "d1", k2: "d2" } }],
    [{ name: "o", value: { k2: "v2" } }],
    { propagate: false },
  );
  assert.deepEqual(values.get("o"), { k1: "d1", k2: "v2" });
});

void test("resolves a default that references another param's default in a second pass", () => {
  const values = resolveParams(
    [
      { name: "b", default: "$(params.a)-x" },
      { name: "a", default: "base" },
      { name: "c", default: "$(params.b)/$(params.a)" },
    ],
    [],
    { propagate: false },
  );
  assert.equal(values.get("b"), "base-x");
  assert.equal(values.get("c"), "base-x/base");
});

void test("leaves a default unresolved when its references have no default (Tekton resolves against defaults)", () => {
  const values = resolveParams(
    [{ name: "a" }, { name: "b", default: "$(params.a)-x" }],
    [{ name: "a", value: "given" }],
    {
      propagate: false,
    },
  );
  assert.equal(values.get("a"), "given");
  assert.equal(values.has("b"), false);
});

void test("propagates undeclared TaskRun params only for an inline spec", () => {
  const given = [{ name: "extra", value: ["1", "2"] }];
  assert.deepEqual([...resolveParams([], given, { propagate: true })], [["extra", ["1", "2"]]]);
  assert.equal(resolveParams([], given, { propagate: false }).size, 0);
});

void test("builds every spelling of string, array and object references", () => {
  const r = paramReplacements([
    ["s", "v"],
    ["arr", ["x", "y"]],
    ["o", { k: "kv" }],
  ]);
  for (const key of ["params.s", 'params["s"]', "params['s']", "inputs.params.s"])
    assert.equal(r.strings.get(key), "v");
  assert.equal(r.strings.get("params.arr[1]"), "y");
  assert.equal(r.strings.get('params["arr"][0]'), "x");
  assert.equal(r.strings.get("params['arr'][1]"), "y");
  assert.deepEqual(r.arrays.get("params['arr']"), ["x", "y"]);
  assert.equal(r.strings.get("params.o.k"), "kv");
  assert.equal(r.strings.get('params["o"].k'), undefined);
  assert.deepEqual(r.objects.get("params.o"), { k: "kv" });
});
