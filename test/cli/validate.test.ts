import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tektonExamples } from "../helpers/examples.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXAMPLES = tektonExamples("taskruns");

function tektite(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/tektite.js"), ...args], {
    cwd: ROOT,
    input: input ?? "",
    encoding: "utf8",
    env: { ...process.env, TEKTITE_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "tektite-validate-")), name);
  writeFileSync(file, text);
  return file;
}

void describe("tektite validate", () => {
  void it("accepts the valid examples and exits 0", () => {
    const r = tektite([
      "validate",
      "-f",
      "examples/hello-taskrun.yaml",
      "-f",
      "examples/task-and-taskrun.yaml",
    ]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "3 valid, 0 invalid\n");
    assert.equal(r.code, 0);
  });

  void it("prints Tekton's messages for each invalid object and exits 2", () => {
    const r = tektite(["validate", "-f", "examples/invalid-taskrun.yaml"]);
    assert.equal(
      r.stdout,
      [
        "examples/invalid-taskrun.yaml:3: TaskRun/broken: expected exactly one, got both: spec.taskRef, spec.taskSpec",
        "invalid value: -1 should be >= 0: spec.retries",
        'examples/invalid-taskrun.yaml:18: TaskRun/no-steps: invalid key name "Bad Name": spec.taskSpec.results[0].name',
        "Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')",
        "missing field(s): spec.taskSpec.steps",
        "0 valid, 2 invalid",
        "",
      ].join("\n"),
    );
    assert.equal(r.code, 2);
  });

  void it("reports machine-readable results with -o json", () => {
    const r = tektite([
      "validate",
      "-f",
      "examples/task-and-taskrun.yaml",
      "-f",
      "examples/invalid-taskrun.yaml",
      "-o",
      "json",
    ]);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> };
    assert.deepEqual(
      out.results.map((x) => [x["kind"], x["name"], x["file"], x["valid"], (x["errors"] as string[]).length]),
      [
        ["Task", "greet", "examples/task-and-taskrun.yaml", true, 0],
        ["TaskRun", "greet-run", "examples/task-and-taskrun.yaml", true, 0],
        ["TaskRun", "broken", "examples/invalid-taskrun.yaml", false, 1],
        ["TaskRun", "no-steps", "examples/invalid-taskrun.yaml", false, 1],
      ],
    );
    assert.equal(out.results[2]?.["line"], 3);
  });

  void it("reads stdin for -f -", () => {
    const r = tektite(
      ["validate", "-f", "-"],
      "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n  - name: s\n    image: alpine\n    resources: {}\n",
    );
    assert.equal(r.stdout, "1 valid, 0 invalid\n");
    assert.equal(r.code, 0);
  });

  void it("honours the feature gate: a step-level stdoutConfig needs alpha", () => {
    const file = tempFile(
      "stream.yaml",
      "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: s\nspec:\n  taskSpec:\n    steps:\n    - name: a\n      image: alpine\n      script: echo\n      stdoutConfig:\n        path: /tmp/out\n",
    );
    const beta = tektite(["validate", "-f", file]);
    assert.equal(beta.code, 2);
    assert.match(
      beta.stdout,
      /^[^\n]*stream\.yaml:1: TaskRun\/s: step stdout stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta": \n/,
    );
    const alpha = tektite(["validate", "-f", file, "--feature-gate", "alpha"]);
    assert.equal(alpha.stdout, "1 valid, 0 invalid\n");
    assert.equal(alpha.code, 0);
  });

  void it("checks Pipelines and PipelineRuns with Tekton's messages", () => {
    const bad = tempFile(
      "p.yaml",
      "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec: {}\n---\n" +
        "apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineSpec:\n    tasks:\n" +
        "    - name: a\n      runAfter: [b]\n      taskRef:\n        name: t\n",
    );
    const r = tektite(["validate", "-f", bad]);
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      `${bad}:1: Pipeline/p: expected at least one, got none: spec.description, spec.params, spec.resources, spec.tasks, spec.workspaces\n` +
        `${bad}:7: PipelineRun/pr: invalid value: couldn't add link between a and b: task a depends on b but b wasn't present in Pipeline: spec.pipelineSpec.tasks\n` +
        "0 valid, 2 invalid\n",
    );
    assert.equal(r.code, 2);
    const good = tempFile(
      "good.yaml",
      "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  params:\n  - name: who\n  tasks:\n" +
        "  - name: a\n    params:\n    - name: who\n      value: $(params.who)\n    taskRef:\n      name: t\n---\n" +
        "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  generateName: p-\nspec:\n  pipelineRef:\n    name: p\n",
    );
    const ok = tektite(["validate", "-f", good]);
    assert.equal(ok.stdout, "2 valid, 0 invalid\n");
    assert.equal(ok.code, 0);
  });

  void it("names the file and line of a YAML error, without a stack trace, and exits 2", () => {
    const file = tempFile("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n");
    const r = tektite(["validate", "-f", file]);
    assert.match(
      r.stdout,
      new RegExp(`^${file.replace(/[.]/g, "\\.")}:4: Nested mappings are not allowed in compact mappings`),
    );
    assert.match(r.stdout, /\n0 valid, 1 invalid\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.code, 2);
  });

  void it("rejects an unknown config key by name", () => {
    const config = tempFile("config.yaml", 'featureFlags:\n  enable-everything: "true"\n');
    const r = tektite(["validate", "-f", "examples/hello-taskrun.yaml", "--config", config]);
    assert.equal(r.stderr, `error: ${config}: unknown feature flag "enable-everything"\n`);
    assert.equal(r.code, 2);
  });

  void it("enforces config-defaults' default-forbidden-env at admission, with Tekton's message", () => {
    const config = tempFile("config.yaml", "defaults:\n  default-forbidden-env: SECRET\n");
    const taskRun = tempFile(
      "tr.yaml",
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: leaks
spec:
  podTemplate:
    env:
      - name: SECRET
        value: x
  taskSpec:
    steps:
      - image: busybox
        script: "true"
`,
    );
    const message = "invalid value: PodTemplate cannot update a forbidden env: SECRET: spec.PodTemplate.Env";
    const validate = tektite(["validate", "--config", config, "-f", taskRun]);
    assert.equal(validate.stdout, `${taskRun}:1: TaskRun/leaks: ${message}\n0 valid, 1 invalid\n`);
    assert.equal(validate.code, 2);
    const run = tektite([
      "run",
      "--config",
      config,
      "-f",
      taskRun,
      "--executor",
      "host",
      "--data-dir",
      join(dirname(config), "data"),
    ]);
    assert.match(run.stderr, new RegExp(`TaskRun/leaks: ${message.replace(/[.]/g, "\\.")}`));
    assert.equal(run.code, 2);
    const allowed = tektite(["validate", "-f", taskRun]);
    assert.equal(allowed.code, 0, allowed.stdout);
  });

  void it("rejects an unknown --feature-gate value with exit 2", () => {
    const r = tektite(["validate", "-f", "examples/hello-taskrun.yaml", "--feature-gate", "gamma"]);
    assert.match(
      r.stderr,
      /^error: option '--feature-gate <gate>' argument 'gamma' is invalid\. Allowed choices are stable, beta, alpha\./,
    );
    assert.equal(r.code, 2);
  });

  void it("runs over all of Tekton's TaskRun examples under the alpha gate", () => {
    const r = tektite(["validate", "-f", EXAMPLES, "--feature-gate", "alpha", "-o", "json"]);
    const out = JSON.parse(r.stdout) as {
      results: Array<{ valid: boolean; file: string; errors: string[] }>;
    };
    const invalid = out.results.filter((x) => !x.valid).map((x) => `${x.file}: ${x.errors.join(" / ")}`);
    assert.deepEqual(invalid, []);
    assert.equal(r.code, 0);
  });
});
