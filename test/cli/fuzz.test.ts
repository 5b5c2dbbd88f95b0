/**
 * Random type substitutions into Tekton's own examples: whatever a field is replaced with (a
 * number, a bool, a list, a mapping, a string, null), admission answers with an object or a
 * message — never a JavaScript error — and the CLI exits 0, 1 or 2 with no stack trace, in time.
 * The generator is seeded: a failure names the seed and the mutation to replay it.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import YAML from "yaml";
import { FieldValidation, admit } from "../../src/api/admission.js";
import { parseFile } from "../../src/api/parse-documents.js";
import type { KubeObject } from "../../src/api/types.js";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../src/config/features.js";
import { repoRoot, tektiteBin } from "../helpers/cli.js";
import { tektonExamples } from "../helpers/examples.js";

const EXAMPLES = tektonExamples();
const SEED = Number(process.env["TEKTITE_FUZZ_SEED"] ?? 0x7e47e);

function exampleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...exampleFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** mulberry32: small, seeded, good enough to pick paths and values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = Array<string | number>;

/** Every path to a value inside `v` (not the root). */
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), paths(x, [...prefix, i], out)));
  else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      paths(x, [...prefix, k], out);
    }
  }
  return out;
}

const SUBSTITUTES: unknown[] = [
  42,
  -1,
  1.5,
  9007199254740993n,
  true,
  false,
  null,
  "",
  "x",
  "$(params.nope)",
  [],
  [1, "a"],
  [{ a: 1 }],
  {},
  { a: 1 },
  { name: 7 },
];

function setAt(obj: unknown, path: Path, value: unknown): void {
  let cur = obj as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) cur = cur[part] as Record<string | number, unknown>;
  cur[path[path.length - 1] as string | number] = value;
}

interface Mutation {
  file: string;
  path: Path;
  value: unknown;
  object: KubeObject;
}

function mutations(count: number, seed: number): Mutation[] {
  const rand = random(seed);
  const objects: Array<{ file: string; object: KubeObject }> = [];
  for (const file of exampleFiles(EXAMPLES)) {
    for (const doc of parseFile(readFileSync(file, "utf8"), file).documents) {
      objects.push({ file, object: doc.object });
    }
  }
  assert.ok(objects.length > 100, "the examples are there");
  const out: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    const base = objects[Math.floor(rand() * objects.length)]!;
    const object = structuredClone(base.object);
    const all = paths(object);
    const path = all[Math.floor(rand() * all.length)]!;
    const value = structuredClone(SUBSTITUTES[Math.floor(rand() * SUBSTITUTES.length)]);
    setAt(object, path, value);
    out.push({ file: base.file, path, value, object });
  }
  return out;
}

function describeMutation(m: Mutation): string {
  const value = typeof m.value === "bigint" ? `${m.value}n` : JSON.stringify(m.value);
  return `${m.file}: ${m.path.join(".")} = ${value} (seed ${SEED})`;
}

void describe("fuzzing Tekton's examples with wrong types", () => {
  void it("never makes admission throw: every mutation is admitted or refused with a message", () => {
    const features = { ...defaultFeatureFlags(), enableApiFields: "alpha" as const };
    let refused = 0;
    for (const m of mutations(3000, SEED)) {
      let result;
      try {
        result = admit(m.object, features, defaultConfigDefaults(), {
          fieldValidation: FieldValidation.Strict,
        });
      } catch (err) {
        assert.fail(
          `${describeMutation(m)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
      if ("error" in result) {
        refused++;
        assert.ok(result.error.length > 0, describeMutation(m));
        assert.doesNotMatch(
          result.error,
          /is not a function|Cannot read propert|is not iterable|\[object Object\]|\bNaN\b|"undefined"/,
          describeMutation(m),
        );
      }
    }
    assert.ok(refused > 500, `most wrong types are refused (${refused})`);
  });

  void it("the CLI judges a directory of mutated files with exit 0 or 2, no stack trace, in time", () => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-fuzz-"));
    const written = mutations(40, SEED + 1).map((m, i) => {
      const file = join(dir, `m${String(i).padStart(2, "0")}.yaml`);
      const replacer = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? Number(v) : v);
      writeFileSync(file, YAML.stringify(JSON.parse(JSON.stringify(m.object, replacer))));
      return { file, m };
    });
    const r = spawnSync(process.execPath, [tektiteBin, "validate", "-f", dir, "-o", "json"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, TEKTITE_DEBUG: "" },
    });
    assert.equal(r.error, undefined, "finished in time");
    assert.ok(r.status === 0 || r.status === 2, `exit code ${String(r.status)}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at |TypeError|RangeError/);
    const out = JSON.parse(r.stdout) as {
      results: Array<{ file: string; valid: boolean; errors: string[] }>;
    };
    for (const { file, m } of written) {
      assert.ok(
        out.results.some((x) => x.file === file),
        `every file is judged: ${describeMutation(m)}`,
      );
    }
  });
});
