import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkResultTypes,
  dedupeResults,
  parseResultValue,
  terminationMessageSize,
  typedResult,
} from "./results.js";

void test("string results keep the raw bytes, including a trailing newline", () => {
  assert.deepEqual(typedResult({ name: "r" }, "hello\n"), { name: "r", type: "string", value: "hello\n" });
  assert.deepEqual(typedResult({ name: "r", type: "string" }, '["a"]'), {
    name: "r",
    type: "string",
    value: '["a"]',
  });
});

void test("array and object results are parsed as Tekton's ParamValue does", () => {
  assert.deepEqual(parseResultValue('["a","b"]\n'), { type: "array", value: ["a", "b"] });
  assert.deepEqual(parseResultValue('{"k":"v"}'), { type: "object", value: { k: "v" } });
  assert.deepEqual(parseResultValue('"quoted"'), { type: "string", value: "quoted" });
  assert.deepEqual(parseResultValue(' ["a"]'), { type: "string", value: ' ["a"]' });
  assert.deepEqual(parseResultValue("[1,2]"), { type: "string", value: "[1,2]" });
  assert.deepEqual(parseResultValue("[]"), { type: "array", value: [] });
});

void test("a result of the wrong type is removed and reported with Tekton's message", () => {
  const check = checkResultTypes(
    [{ name: "a", type: "array" }, { name: "s" }],
    [
      { name: "a", type: "string", value: "x" },
      { name: "s", type: "string", value: "y" },
    ],
  );
  assert.deepEqual(check.results, [{ name: "s", type: "string", value: "y" }]);
  assert.equal(
    check.error,
    'Provided results don\'t match declared results; may be invalid JSON or missing result declaration:  "a": task result is expected to be "array" type but was initialized to a different type "string"',
  );
});

void test("an object result missing declared keys fails with the missing-keys message", () => {
  const check = checkResultTypes(
    [{ name: "o", type: "object", properties: { url: { type: "string" }, commit: { type: "string" } } }],
    [{ name: "o", type: "object", value: { url: "u" } }],
  );
  assert.equal(
    check.error,
    "missing keys for these results which are required in TaskResult's properties map[o:[commit]]",
  );
});

void test("results are deduplicated by name, the last one winning", () => {
  assert.deepEqual(
    dedupeResults([
      { name: "a", type: "string", value: "1" },
      { name: "b", type: "string", value: "2" },
      { name: "a", type: "string", value: "3" },
    ]),
    [
      { name: "b", type: "string", value: "2" },
      { name: "a", type: "string", value: "3" },
    ],
  );
});

void test("the termination message counts StartedAt and every result entry", () => {
  const size = terminationMessageSize("2026-01-01T00:00:00Z", [
    { key: "r", value: "x".repeat(100), type: 1 },
  ]);
  assert.equal(
    size,
    JSON.stringify([
      { key: "StartedAt", value: "2026-01-01T00:00:00Z", type: 3 },
      { key: "r", value: "x".repeat(100), type: 1 },
    ]).length,
  );
});
