import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { readStepArtifacts } from "./artifacts.js";

const PROVENANCE = JSON.stringify({ outputs: [{ name: "image", values: [{ uri: "x", digest: {} }] }] });

void describe("readStepArtifacts", () => {
  let root: string;
  let pod: string;
  let status: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "artifacts-"));
    pod = join(root, "pod");
    status = join(pod, "run", "0", "status");
    mkdirSync(status, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads the step's provenance.json", () => {
    mkdirSync(join(status, "artifacts"));
    writeFileSync(join(status, "artifacts", "provenance.json"), PROVENANCE);
    assert.deepEqual(readStepArtifacts(pod, status).outputs?.[0]?.name, "image");
  });

  it("reports none when the step wrote none, or replaced its artifacts directory by a file", () => {
    assert.deepEqual(readStepArtifacts(pod, status), {});
    writeFileSync(join(status, "artifacts"), "not a directory");
    assert.deepEqual(readStepArtifacts(pod, status), {});
  });

  it("does not follow a link the step put in place of its artifacts directory or file", () => {
    const outside = join(root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "provenance.json"), PROVENANCE);
    symlinkSync(outside, join(status, "artifacts"));
    assert.deepEqual(readStepArtifacts(pod, status), {});
    rmSync(join(status, "artifacts"));
    mkdirSync(join(status, "artifacts"));
    symlinkSync(join(outside, "provenance.json"), join(status, "artifacts", "provenance.json"));
    assert.deepEqual(readStepArtifacts(pod, status), {});
  });
});
