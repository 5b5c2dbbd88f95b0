/**
 * A file of many small documents is validated document by document: with the heap capped far below
 * what keeping every parsed object would need, every document is still judged and reported.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { runCli, tempDir, writeYaml } from "../helpers/cli.js";

const DOCUMENTS = 20_000;
/** Enough for one document at a time plus the file's text; keeping all 20,000 objects needs more. */
const HEAP_MB = 48;
const BAD = 12_345;

function task(i: number): string {
  const field = i === BAD ? "scirpt" : "script";
  return `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: task-${i}
  labels:
    app.kubernetes.io/version: "0.1"
spec:
  description: Task number ${i} of a large file, checked one document at a time.
  params:
    - name: message
      default: hello from task ${i}
  steps:
    - name: echo
      image: docker.io/library/alpine:3.19
      ${field}: |
        #!/bin/sh
        echo "$(params.message)"
`;
}

void describe("tektite validate on a large many-document file", () => {
  void it("judges every document in bounded memory and reports the one bad document by line", async (t) => {
    const docs = Array.from({ length: DOCUMENTS }, (_, i) => task(i));
    const file = writeYaml(tempDir(t), "many.yaml", docs.join("---\n"));
    // The bad document starts on the line after the text of the documents before it.
    const badLine = `${docs.slice(0, BAD).join("---\n")}---\n`.split("\n").length;
    const r = await runCli(["validate", "-f", file], {
      env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
    });
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      `${file}:${badLine}: Task/task-${BAD}: spec.steps[0].scirpt: cannot decode incoming new object: json: unknown field "scirpt"\n` +
        `${DOCUMENTS - 1} valid, 1 invalid\n`,
    );
    assert.equal(r.code, 2);
  });
});
