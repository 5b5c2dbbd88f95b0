import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsonPatch, mergePatch, stripDirectives } from "./patch.js";

describe("patches", () => {
  it("merge patch replaces, adds and removes keys (null deletes) and replaces arrays", () => {
    const out = mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { a: null, b: { c: 5 }, e: [9], f: "x" });
    assert.deepEqual(out, { b: { c: 5, d: 3 }, e: [9], f: "x" });
  });

  it("JSON patch applies add, remove, replace, move, copy and test in order", () => {
    const doc = { metadata: { labels: { a: "1" } }, list: [1, 2, 3] };
    const out = jsonPatch(doc, [
      { op: "add", path: "/metadata/labels/b~1c", value: "2" },
      { op: "remove", path: "/list/0" },
      { op: "replace", path: "/list/0", value: 20 },
      { op: "add", path: "/list/-", value: 4 },
      { op: "copy", from: "/metadata/labels/a", path: "/copied" },
      { op: "move", from: "/copied", path: "/moved" },
      { op: "test", path: "/moved", value: "1" },
    ]);
    assert.deepEqual(out, { metadata: { labels: { a: "1", "b/c": "2" } }, list: [20, 3, 4], moved: "1" });
    assert.deepEqual(doc.list, [1, 2, 3]);
  });

  it("JSON patch fails a test operation with 422 and a missing path with 400", () => {
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]), { code: 422 });
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: "remove", path: "/b" }]), { code: 400 });
  });

  it("strategic merge directives are dropped", () => {
    assert.deepEqual(
      stripDirectives({
        $retainKeys: ["a"],
        spec: { "$setElementOrder/x": [], a: 1, l: [{ $patch: "delete" }, 2] },
      }),
      {
        spec: { a: 1, l: [2] },
      },
    );
  });
});
