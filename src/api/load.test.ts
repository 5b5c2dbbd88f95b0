import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { LoadError, LoadErrorReason } from "./load-error.js";
import { loadDocuments } from "./load.js";
import {
  endsFile,
  fileEntries,
  objectLabel,
  parseDocuments,
  parseFile,
  type LoadedDocument,
} from "./parse-documents.js";
import { MAX_DOCUMENT_BYTES } from "./yaml-documents.js";
import { tektonExamples } from "../../test/helpers/examples.js";

const EXAMPLES = tektonExamples("taskruns");

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

  void it("reads floats as go-yaml v2 does: a lone dot is a string (a build context), .5 and 1_0.5e1 are numbers", () => {
    const [doc] = parseDocuments(
      `${cm("f")}data:\n  a: .\n  b: -.\n  c: ._5\n  d: .e3\n  e: .5\n  f: 1_0.5e1\n  g: -.25\n  h: .inf\n  i: 0x1p3\n`,
      "f.yaml",
    );
    assert.deepEqual(doc?.object["data"], {
      a: ".",
      b: "-.",
      c: "._5",
      d: ".e3",
      e: 0.5,
      f: 105,
      g: -0.25,
      h: Infinity,
      i: "0x1p3",
    });
  });

  void it("accepts a step whose argument list holds a bare dot", () => {
    const docs = parseDocuments(
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: build}\nspec:\n  steps:\n  - name: bud\n    image: alpine\n    command: [buildah, bud, -t, img, .]\n",
      "t.yaml",
    );
    const spec = docs[0]?.object["spec"] as { steps: Array<{ command: unknown[] }> };
    assert.deepEqual(spec.steps[0]?.command, ["buildah", "bud", "-t", "img", "."]);
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

  void it("skips a custom-task kind with a note that says how to run it", () => {
    const docs = parseDocuments(
      "apiVersion: wait.example.dev/v1beta1\nkind: Wait\nmetadata: {name: w}\n",
      "w.yaml",
    );
    assert.equal(docs[0]?.handling, "ignored");
    assert.equal(
      docs[0]?.note,
      "Wait (wait.example.dev/v1beta1) is skipped: tektite does not act on this kind; if it is a custom task, reference it from a CustomRun's customRef or customSpec",
    );
  });

  void it("skips Kubernetes and Tekton Triggers kinds without the custom-task hint", () => {
    const docs = parseDocuments(
      [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: r}\n",
        "apiVersion: triggers.tekton.dev/v1beta1\nkind: TriggerTemplate\nmetadata: {name: t}\n",
      ].join("---\n"),
      "k.yaml",
    );
    assert.deepEqual(
      docs.map((d) => [d.handling, d.note]),
      [
        ["ignored", "Deployment (apps/v1) is skipped: tektite does not act on this kind"],
        ["ignored", "Service (v1) is skipped: tektite does not act on this kind"],
        [
          "ignored",
          "ClusterRoleBinding (rbac.authorization.k8s.io/v1) is skipped: tektite does not act on this kind",
        ],
        [
          "ignored",
          "TriggerTemplate (triggers.tekton.dev/v1beta1) is skipped: tektite does not act on this kind",
        ],
      ],
    );
  });

  void it("rejects an unknown kind of the tekton.dev group", () => {
    const err = loadError(() =>
      parseDocuments("apiVersion: tekton.dev/v1\nkind: Taks\nmetadata: {name: t}\n", "t.yaml"),
    );
    assert.equal(
      err.message,
      't.yaml:1: document 1 (Taks/t): no matches for kind "Taks" in version "tekton.dev/v1"',
    );
  });
});

void describe("fileEntries", () => {
  void it("yields a large file's documents one at a time, before a later document is even read", () => {
    const many = Array.from({ length: 3000 }, (_, i) => `${cm(`c${i}`)}data:\n  k: "${"v".repeat(400)}"\n`);
    const text = `${many.join("---\n")}---\nkey: [unclosed\n`;
    const entries = fileEntries(text, "many.yaml");
    const first = entries.next();
    assert.equal(first.done, false);
    assert.equal((first.value as LoadedDocument).object.metadata.name, "c0");
    const rest = [...entries];
    assert.equal(rest.length, 3000);
    const last = rest[rest.length - 1]!;
    assert.ok(last instanceof LoadError && endsFile(last), String(last));
    // parseFile keeps kubectl's rule: a syntax error anywhere means nothing of the file is read.
    const parsed = parseFile(text, "many.yaml");
    assert.equal(parsed.documents.length, 0);
    assert.deepEqual(parsed.errors, [last]);
  });
});

void describe("parseFile", () => {
  void it("judges every document: a bad one does not hide the good ones", () => {
    const text = `${cm("a")}---\n- x\n---\nmetadata: {name: m}\n---\n${cm("b")}`;
    const parsed = parseFile(text, "m.yaml");
    assert.deepEqual(
      parsed.documents.map((d) => d.object.metadata.name),
      ["a", "b"],
    );
    assert.deepEqual(
      parsed.errors.map((e) => e.message),
      [
        "m.yaml:6: document 2 is not a mapping (found a sequence); expected a Kubernetes object with apiVersion and kind",
        "m.yaml:8: document 3 (<no kind>/m): apiVersion and kind not set",
      ],
    );
  });

  void it("refuses a document over the API server's request limit without parsing it", () => {
    const big = `${cm("big")}data:\n  k: "${"x".repeat(MAX_DOCUMENT_BYTES)}"\n`;
    const parsed = parseFile(`${cm("small")}---\n${big}`, "big.yaml");
    assert.equal(parsed.documents.length, 0);
    assert.equal(parsed.errors.length, 1);
    assert.match(
      parsed.errors[0]?.message ?? "",
      /^big\.yaml:6: document 2 is \d+ bytes: Request entity too large: limit is 3145728$/,
    );
  });

  void it("refuses an alias bomb, naming the file", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    const parsed = parseFile(`${cm("c")}data:\n  ${bomb.replace(/\n/g, "\n  ")}\n`, "bomb.yaml");
    assert.deepEqual(
      parsed.errors.map((e) => e.message),
      ["bomb.yaml:1: yaml: document contains excessive aliasing"],
    );
  });

  void it("reads 0o10 as 8, keeps integers beyond 2^53 exact and refuses a mapping as a key", () => {
    const [doc] = parseFile(`${cm("n")}data:\n  a: 0o10\n  b: 9007199254740993\n`, "n.yaml").documents;
    assert.deepEqual(doc?.object["data"], { a: 8, b: 9007199254740993n });
    const bad = parseFile(`${cm("k")}data:\n  a: {{X}}\n`, "k.yaml");
    assert.deepEqual(
      bad.errors.map((e) => e.message),
      ['k.yaml:6: yaml: invalid map key: map[interface {}]interface {}{"X":interface {}(nil)}'],
    );
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
