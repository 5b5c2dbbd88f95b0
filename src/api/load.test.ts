import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { LoadError, LoadErrorReason, loadDocuments, objectLabel, parseDocuments } from "./load.js";

const EXAMPLES = "/work/shared/conformance/tekton-examples/taskruns";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function loadError(fn: () => unknown): LoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoadError) return err;
    throw err;
  }
  return assert.fail("expected a LoadError");
}

void describe("parseDocuments", () => {
  void it("splits multi-document files, skips empty documents and records file, index and line", () => {
    const text = `# leading comment\n${cm("a")}---\n---\n# only a comment\n---\n${cm("b")}`;
    const docs = parseDocuments(text, "x.yaml");
    assert.deepEqual(
      docs.map((d) => [d.object.metadata.name, d.origin]),
      [
        ["a", { file: "x.yaml", index: 1, line: 2 }],
        ["b", { file: "x.yaml", index: 4, line: 10 }],
      ],
    );
    assert.equal(docs[0]?.handling, "supported");
  });

  void it("expands kind: List items with their own line", () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${cm("a").trimEnd().replace(/\n/g, "\n  ")}\n- ${cm("b").trimEnd().replace(/\n/g, "\n  ")}\n`;
    const docs = parseDocuments(text, "l.yaml");
    assert.deepEqual(
      docs.map((d) => [d.object.metadata.name, d.origin]),
      [
        ["a", { file: "l.yaml", index: 1, item: 0, line: 4 }],
        ["b", { file: "l.yaml", index: 1, item: 1, line: 8 }],
      ],
    );
  });

  void it("resolves scalars as Kubernetes' go-yaml v2 does: yes/on are booleans, dates stay strings", () => {
    const [doc] = parseDocuments(
      `${cm("c")}data:\n  a: yes\n  b: off\n  c: 2024-01-02\n  d: 0777\n  e: 1:20\n  f: "yes"\n`,
      "c.yaml",
    );
    assert.deepEqual(doc?.object["data"], {
      a: true,
      b: false,
      c: "2024-01-02",
      d: 511,
      e: "1:20",
      f: "yes",
    });
  });

  void it("keeps the parsed boolean of a param default (conversion turns it into a string)", () => {
    const docs = parseDocuments(
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  params:\n  - name: p\n    default: true\n",
      "t.yaml",
    );
    const spec = docs[0]?.object["spec"] as { params: Array<{ default: unknown }> };
    assert.equal(spec.params[0]?.default, true);
  });

  void it("loads Pipelines like any supported kind and marks LimitRange ignored, with a note", () => {
    const docs = parseDocuments(
      "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\n",
      "p.yaml",
    );
    assert.deepEqual(
      docs.map((d) => [d.handling, d.note]),
      [
        ["supported", undefined],
        ["ignored", "LimitRange is ignored: tektite does not apply resource limits"],
      ],
    );
  });

  void it("names the file and line of a YAML syntax error", () => {
    const err = loadError(() => parseDocuments(`${cm("a")}data:\n  k: a: b\n`, "bad.yaml"));
    assert.equal(err.reason, LoadErrorReason.Syntax);
    assert.equal(err.line, 6);
    assert.match(
      err.message,
      /^bad\.yaml:6: Nested mappings are not allowed in compact mappings \(column 6\):/,
    );
  });

  void it("rejects a document that is not a mapping", () => {
    const err = loadError(() => parseDocuments(`${cm("a")}---\n- a\n- b\n`, "s.yaml"));
    assert.equal(
      err.message,
      "s.yaml:6: document 2 is not a mapping (found a sequence); expected a Kubernetes object with apiVersion and kind",
    );
  });

  void it("rejects a document without apiVersion or kind, naming it", () => {
    const err = loadError(() => parseDocuments("metadata:\n  name: x\n", "m.yaml"));
    assert.equal(err.message, "m.yaml:1: document 1 (<no kind>/x): apiVersion and kind not set");
    assert.equal(err.reason, LoadErrorReason.MissingField);
  });

  void it("rejects a kind in a version that does not serve it, saying where it is served", () => {
    const err = loadError(() =>
      parseDocuments("apiVersion: tekton.dev/v1\nkind: CustomRun\nmetadata:\n  generateName: w-\n", "k.yaml"),
    );
    assert.equal(
      err.message,
      'k.yaml:1: document 1 (CustomRun/w-*): no matches for kind "CustomRun" in version "tekton.dev/v1" (CustomRun is served as tekton.dev/v1beta1)',
    );
  });

  void it("rejects a custom-task kind as a top-level document", () => {
    const err = loadError(() =>
      parseDocuments(
        "apiVersion: wait.testing.tekton.dev/v1beta1\nkind: Wait\nmetadata: {name: w}\n",
        "w.yaml",
      ),
    );
    assert.equal(err.reason, LoadErrorReason.UnknownKind);
    assert.match(err.message, /custom-task kinds are not top-level resources/);
  });
});

void describe("loadDocuments", () => {
  void it("reads a directory recursively, only .yaml/.yml/.json, in name order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-load-"));
    mkdirSync(join(dir, "b-sub"));
    writeFileSync(join(dir, "c.yml"), cm("c"));
    writeFileSync(join(dir, "a.yaml"), cm("a"));
    writeFileSync(
      join(dir, "b-sub", "x.json"),
      JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }),
    );
    writeFileSync(join(dir, "README.md"), "# not yaml\n");
    const docs = await loadDocuments([dir]);
    assert.deepEqual(
      docs.map((d) => [d.origin.file.slice(dir.length + 1), objectLabel(d.object)]),
      [
        ["a.yaml", "ConfigMap/a"],
        ["b-sub/x.json", "Secret/x"],
        ["c.yml", "ConfigMap/c"],
      ],
    );
  });

  void it("reads - from stdin and names it <stdin>", async () => {
    const docs = await loadDocuments(["-"], { stdin: Readable.from([cm("in")]) });
    assert.deepEqual(docs[0]?.origin, { file: "<stdin>", index: 1, line: 1 });
  });

  void it("fails cleanly on a missing file", async () => {
    await assert.rejects(loadDocuments(["/nonexistent/x.yaml"]), {
      name: "LoadError",
      message: "/nonexistent/x.yaml: no such file or directory",
    });
  });

  void it("loads every Tekton TaskRun example", async () => {
    const docs = await loadDocuments([EXAMPLES]);
    const kinds = new Set(docs.map((d) => `${d.object.apiVersion} ${d.object.kind}`));
    assert.ok(kinds.has("tekton.dev/v1 TaskRun"));
    assert.ok(docs.length > 70);
  });
});
