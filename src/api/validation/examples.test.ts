import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { alphaFeatureFlags, defaultConfigDefaults } from "../../config/features.js";
import { convertToV1 } from "../convert.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";

// The test runs from dist/src/api/validation; the repository root is four levels up.
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const candidates = [
  join(repoRoot, "../shared/conformance/tekton-examples/taskruns"),
  join(process.cwd(), "../shared/conformance/tekton-examples/taskruns"),
];
const examplesDir = candidates.find((d) => existsSync(d));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return e.name.endsWith(".yaml") ? [p] : [];
  });
}

const KINDS = new Set(["Task", "TaskRun", "StepAction"]);

describe("Tekton's TaskRun examples", () => {
  if (examplesDir === undefined) {
    it(
      "are absent, so nothing is checked",
      { skip: "tekton-examples/taskruns not found next to the repository" },
      () => {},
    );
    return;
  }
  const dir = examplesDir;
  for (const file of yamlFiles(dir)) {
    it(`admits every Task, TaskRun and StepAction in ${relative(dir, file)} under the alpha gate`, () => {
      const rejections: string[] = [];
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        const obj = doc.toJS() as KubeObject | null;
        if (obj === null || typeof obj !== "object" || !KINDS.has(obj.kind)) continue;
        const defaulted = applyDefaults(convertToV1(obj), defaultConfigDefaults(), { create: true });
        const err = validateResource(defaulted, alphaFeatureFlags());
        if (err !== undefined)
          rejections.push(
            `${obj.kind} ${obj.metadata?.name ?? obj.metadata?.generateName ?? ""}: ${err.error()}`,
          );
      }
      assert.deepEqual(rejections, []);
    });
  }
});
