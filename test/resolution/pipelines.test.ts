import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { gitRepo, httpServer } from "./standins.js";

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: shout
spec:
  params:
    - name: word
  results:
    - name: out
  steps:
    - name: say
      image: busybox
      script: |
        echo "shouting $(params.word)"
        printf LOUD > $(results.out.path)
`;

void test("a PipelineRun whose pipelineRef comes from git and whose pipeline task's taskRef comes over HTTP", async (t) => {
  const dir = tempDir(t);
  const server = await httpServer(t, (req, res) => {
    if (req.url === "/tasks/shout.yaml") return res.end(TASK);
    res.statusCode = 404;
    res.end();
  });
  const repo = gitRepo(join(dir, "repo"));
  const commit = repo.commit({
    "pipelines/loud.yaml": `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: loud
spec:
  params:
    - name: word
  tasks:
    - name: first
      taskRef:
        resolver: http
        params:
          - name: url
            value: ${server.url}/tasks/shout.yaml
      params:
        - name: word
          value: $(params.word)
  results:
    - name: said
      value: $(tasks.first.results.out)
`,
  });
  const file = writeYaml(
    dir,
    "run.yaml",
    `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: remote-pipeline
spec:
  params:
    - name: word
      value: hello
    - name: where
      value: pipelines/loud.yaml
  pipelineRef:
    resolver: git
    params:
      - name: url
        value: file://${repo.dir}
      - name: revision
        value: main
      - name: pathInRepo
        value: $(params.where)
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: missing-pipeline
spec:
  pipelineRef:
    resolver: git
    params:
      - name: url
        value: file://${repo.dir}
      - name: revision
        value: main
      - name: pathInRepo
        value: pipelines/none.yaml
`,
  );
  const r = await runCli([
    "run",
    "-f",
    file,
    "-o",
    "json",
    "--executor",
    "host",
    "--data-dir",
    join(dir, "data"),
  ]);
  const objects = objectsOf(r.stdout);
  const pr = objects.find((o) => o["kind"] === "PipelineRun" && o["metadata"].name === "remote-pipeline")!;
  assert.equal(condition(pr).reason, "Succeeded", JSON.stringify(condition(pr)) + r.stderr);
  assert.deepEqual(pr["status"].provenance.refSource, {
    uri: `git+file://${repo.dir}`,
    digest: { sha1: commit },
    entryPoint: "pipelines/loud.yaml",
  });
  assert.deepEqual(pr["status"].results, [{ name: "said", value: "LOUD" }]);
  assert.equal(pr["metadata"].labels["tekton.dev/pipeline"], "loud");
  assert.match(r.stderr, /shouting hello/);
  const missing = objects.find((o) => o["metadata"].name === "missing-pipeline")!;
  assert.equal(condition(missing).reason, "CouldntGetPipeline");
  assert.match(
    condition(missing).message,
    /^Error retrieving pipeline for pipelinerun default\/missing-pipeline: error requesting remote resource: error getting "Git" "default\/git-[0-9a-f]{32}": error opening file "pipelines\/none.yaml": file does not exist$/,
  );
});
