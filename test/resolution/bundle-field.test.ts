/**
 * The v1beta1 `taskRef.bundle` field: current Tekton (since v0.61, which also dropped the
 * `enable-tekton-oci-bundles` flag) refuses it on create; the bundles resolver replaces it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { cleanup, serve } from "../helpers/serve.js";

const TASKRUN = `apiVersion: tekton.dev/v1beta1
kind: TaskRun
metadata:
  name: old-bundle
spec:
  taskRef:
    name: git-clone
    bundle: 127.0.0.1:5000/tasks/git-clone:0.10
`;

const PIPELINERUN = `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: old-bundle-pipeline
spec:
  pipelineSpec:
    tasks:
      - name: clone
        taskRef:
          name: git-clone
          bundle: 127.0.0.1:5000/tasks/git-clone:0.10
`;

void test("tektite run refuses v1beta1 taskRef.bundle as invalid input, naming file and field", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "old.yaml", `${TASKRUN}---\n${PIPELINERUN}`);
  const r = await runCli(["run", "-f", file, "--data-dir", join(dir, "data")]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /old\.yaml:1: TaskRun\/old-bundle: must not set the field\(s\): spec\.taskRef\.bundle/,
  );
  assert.match(
    r.stderr,
    /old\.yaml:10: PipelineRun\/old-bundle-pipeline: must not set the field\(s\): spec\.pipelineSpec\.tasks\[0\]\.taskRef\.bundle/,
  );
});

void test("tektite serve refuses v1beta1 taskRef.bundle at admission (kubectl apply)", async (t) => {
  const s = await serve({ args: ["--sandbox", "none"] });
  t.after(() => cleanup(s));
  const r = await s.kubectl(["apply", "-f", "-"], TASKRUN);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /must not set the field\(s\): spec\.taskRef\.bundle/);
  const get = await s.kubectl(["get", "taskrun", "old-bundle"]);
  assert.match(get.stderr, /NotFound|not found/);
});
