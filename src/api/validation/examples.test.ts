import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { alphaFeatureFlags, defaultConfigDefaults } from "../../config/features.js";
import { convertToV1 } from "../convert.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";
import { tektonExamples } from "../../../test/helpers/examples.js";

function examplesDir(kind: string): string | undefined {
  const dir = tektonExamples(kind);
  return existsSync(dir) ? dir : undefined;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return e.name.endsWith(".yaml") ? [p] : [];
  });
}

const KINDS = new Set(["Task", "TaskRun", "Pipeline", "PipelineRun", "StepAction"]);

/**
 * Examples Tekton's own webhook rejects too (kept out of its CI in `no-ci/`): the Task writes
 * `$(results.digest-${i}.path)`, a result name built by the shell, which admission reads as an
 * undeclared result.
 */
const TRUE_REJECTIONS: Record<string, RegExp[]> = {
  "no-ci/compressed-results-pipeline.yaml": [
    /^Task build-many-images: non-existent variable in "#!\/usr\/bin\/env bash.*": spec\.steps\[0\]\.script$/s,
  ],
};

for (const [folder, title] of [
  ["taskruns", "TaskRun"],
  ["pipelineruns", "PipelineRun"],
] as const) {
  describe(`Tekton's ${title} examples`, () => {
    const dir = examplesDir(folder);
    if (dir === undefined) {
      if (process.env.CI === "true") {
        it(`are required under CI`, () => {
          assert.fail(`tekton-examples/${folder} not found (set $TEKTON_EXAMPLES), and CI=true`);
        });
        return;
      }
      it(
        `are absent, so nothing is checked`,
        { skip: `tekton-examples/${folder} not found (set $TEKTON_EXAMPLES)` },
        () => {},
      );
      return;
    }
    for (const file of yamlFiles(dir)) {
      it(`admits every Tekton object in ${relative(dir, file)} under the alpha gate`, () => {
        const rejections: string[] = [];
        let checked = 0;
        for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
          const obj = doc.toJS() as KubeObject | null;
          if (obj === null || typeof obj !== "object" || !KINDS.has(obj.kind)) continue;
          checked++;
          const defaulted = applyDefaults(convertToV1(obj), defaultConfigDefaults(), { create: true });
          const err = validateResource(defaulted, alphaFeatureFlags(), defaultConfigDefaults());
          if (err !== undefined)
            rejections.push(
              `${obj.kind} ${obj.metadata?.name ?? obj.metadata?.generateName ?? ""}: ${err.error()}`,
            );
        }
        const expected = TRUE_REJECTIONS[relative(dir, file)] ?? [];
        assert.equal(rejections.length, expected.length, rejections.join("\n"));
        for (const [i, re] of expected.entries()) assert.match(rejections[i] ?? "", re);
        assert.ok(checked > 0, "the file holds no Tekton object");
      });
    }
  });
}
