/**
 * Bad input through the CLI, one test per class: exit code 2, the file, the line, the object and
 * the field, Tekton's (or Go's) message, every file of a directory judged, and nothing run.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const taskRun = (name: string, step: string, extra = ""): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${extra}  taskSpec:
    steps:
      - name: s
        image: busybox
${step}`;

void describe("decoding bad input in the CLI", () => {
  void it("validate judges every file of a directory and names file, line, object and field", async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, "d"));
    writeYaml(join(dir, "d"), "a-good.yaml", taskRun("good", "        script: echo hi\n"));
    writeYaml(
      join(dir, "d"),
      "b-image.yaml",
      `---\n${taskRun("image", "        args: [a]\n").replace("image: busybox", "image: 42")}`,
    );
    writeYaml(join(dir, "d"), "c-typo.yaml", taskRun("typo", "        scirpt: echo hi\n"));
    writeYaml(join(dir, "d"), "d-env.yaml", taskRun("env", "        env: {A: b}\n"));
    writeYaml(
      join(dir, "d"),
      "e-timeout.yaml",
      taskRun("timeout", "        script: echo\n", "  timeout: 5\n"),
    );
    writeYaml(join(dir, "d"), "f-syntax.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n");
    writeYaml(
      join(dir, "d"),
      "g-deploy.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    );
    writeYaml(
      join(dir, "d"),
      "h-param.yaml",
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: p\nspec:\n  params:\n    - name: on\n  steps:\n    - image: busybox\n      script: echo\n",
    );
    const d = join(dir, "d");
    const r = await runCli(["validate", "-f", d]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    // In file order, as the files are read.
    assert.deepEqual(lines, [
      `${d}/b-image.yaml:2: TaskRun/image: spec.taskSpec.steps[0].image: cannot decode incoming new object: json: cannot unmarshal number into Go struct field Step.spec.taskSpec.steps.image of type string`,
      `${d}/c-typo.yaml:1: TaskRun/typo: spec.taskSpec.steps[0].scirpt: cannot decode incoming new object: json: unknown field "scirpt"`,
      `${d}/d-env.yaml:1: TaskRun/env: spec.taskSpec.steps[0].env: cannot decode incoming new object: json: cannot unmarshal object into Go struct field Step.spec.taskSpec.steps.env of type []v1.EnvVar`,
      `${d}/e-timeout.yaml:1: TaskRun/timeout: spec.timeout: cannot decode incoming new object: json: cannot unmarshal number into Go struct field TaskRunSpec.spec.timeout of type string`,
      `${d}/f-syntax.yaml:4: Nested mappings are not allowed in compact mappings (column 9):`,
      "",
      "  name: a: b",
      "        ^",
      `${d}/h-param.yaml:1: Task/p: spec.params[0].name: cannot decode incoming new object: json: cannot unmarshal bool into Go struct field ParamSpec.spec.params.name of type string`,
      "2 valid, 6 invalid, 1 skipped",
    ]);
    assert.equal(
      r.stderr,
      `note: Deployment/web (${d}/g-deploy.yaml): Deployment (apps/v1) is skipped: tektite does not act on this kind\n`,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /is not a function|\n\s+at /);
  });

  void it("run refuses invalid input with exit 2, reporting every object, and runs nothing", async (t) => {
    const dir = tempDir(t);
    const file = writeYaml(
      dir,
      "bad.yaml",
      `${taskRun("one", "        imagee: x\n")}\n---\n${taskRun("two", "        script: echo\n", "  retries: 1.5\n")}`,
    );
    const r = await runCli(["run", "-f", file, "--executor", "host", "--data-dir", join(dir, "data")]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      [
        `${file}:1: TaskRun/one: spec.taskSpec.steps[0].imagee: cannot decode incoming new object: json: unknown field "imagee"`,
        `${file}:13: TaskRun/two: spec.retries: cannot decode incoming new object: json: cannot unmarshal number 1.5 into Go struct field TaskRunSpec.spec.retries of type int`,
        "error: 2 invalid object(s); nothing was run",
        "",
      ].join("\n"),
    );
    assert.equal(r.stdout, "");
  });

  void it("run -n puts objects without a namespace there and refuses a different one", async (t) => {
    const dir = tempDir(t);
    const file = writeYaml(dir, "tr.yaml", taskRun("here", "        script: echo hi\n"));
    const r = await runCli([
      "run",
      "-n",
      "ci",
      "-f",
      file,
      "-o",
      "json",
      "--executor",
      "host",
      "--data-dir",
      join(dir, "data"),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [tr] = objectsOf(r.stdout);
    assert.equal(tr?.metadata.namespace, "ci");
    const other = writeYaml(
      dir,
      "other.yaml",
      taskRun("there", "        script: echo\n").replace(
        "  name: there\n",
        "  name: there\n  namespace: prod\n",
      ),
    );
    const refused = await runCli([
      "run",
      "-n",
      "ci",
      "-f",
      other,
      "--executor",
      "host",
      "--data-dir",
      join(dir, "data"),
    ]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /TaskRun\/there: the namespace from the provided object "prod" does not match the namespace "ci"\. You must pass '--namespace=prod' to perform this operation\./,
    );
  });

  void it("start says what is wrong with a malformed -p or -w", async (t) => {
    const dir = tempDir(t);
    const file = writeYaml(
      dir,
      "task.yaml",
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: greet\nspec:\n  steps:\n    - image: busybox\n      script: echo\n",
    );
    const p = await runCli(["start", "task", "greet", "-f", file, "-p", "novalue", "--dry-run"]);
    assert.equal(p.code, 2);
    assert.equal(p.stderr, 'error: param "novalue": expected NAME=VALUE\n');
    const w = await runCli(["start", "task", "greet", "-f", file, "-w", "name=src", "--dry-run"]);
    assert.equal(w.code, 2);
    assert.equal(w.stderr, "error: workspace src: give one of emptyDir=, claimName=, config=, secret=\n");
  });
});
