import assert from "node:assert/strict";
import { test } from "node:test";
import type { Param } from "../../api/types.js";
import { combinationCount, fanOut, hasEmptyArray } from "./matrix.js";

const asObjects = (combos: Param[][]): Array<Record<string, unknown>> =>
  combos.map((c) => Object.fromEntries(c.map((p) => [p.name, p.value])));

test("include adds to the combinations it matches and adds the ones it cannot (docs/matrix.md)", () => {
  const m = {
    params: [
      { name: "platform", value: ["linux", "mac"] },
      { name: "browser", value: ["safari", "chrome"] },
    ],
    include: [
      {
        name: "linux-url",
        params: [
          { name: "platform", value: "linux" },
          { name: "url", value: "some-url" },
        ],
      },
      { name: "non-existent-browser", params: [{ name: "browser", value: "i-do-not-exist" }] },
    ],
  };
  assert.deepEqual(asObjects(fanOut(m)), [
    { browser: "safari", platform: "linux", url: "some-url" },
    { browser: "safari", platform: "mac" },
    { browser: "chrome", platform: "linux", url: "some-url" },
    { browser: "chrome", platform: "mac" },
    { browser: "i-do-not-exist" },
  ]);
  assert.equal(combinationCount(m), 5);
});

test("include alone gives exactly its combinations; an empty array param skips the task", () => {
  const m = {
    include: [
      { name: "a", params: [{ name: "x", value: "1" }] },
      { name: "b", params: [{ name: "x", value: "2" }] },
    ],
  };
  assert.deepEqual(asObjects(fanOut(m)), [{ x: "1" }, { x: "2" }]);
  assert.equal(combinationCount(undefined), 1);
  assert.equal(hasEmptyArray({ params: [{ name: "x", value: [] }] }), true);
});
