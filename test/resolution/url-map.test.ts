/**
 * `--url-map` / `resolution.urlMap`: the git and http resolvers fetch URLs under a mapped prefix
 * from a mirror, and provenance keeps the URL the run asked for.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import { objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { gitRepo, httpServer } from "./standins.js";

const TASK = (name: string, text: string): string => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: ${name}
spec:
  steps:
    - name: say
      image: busybox
      script: echo ${text}
`;

const RAW = "https://raw.githubusercontent.com/example/catalog/main/";
const GIT = "https://github.com/example/catalog.git";

const runs = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: over-http
spec:
  taskRef:
    resolver: http
    params:
      - { name: url, value: "${RAW}task/mirrored.yaml" }
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: over-git
spec:
  taskRef:
    resolver: git
    params:
      - { name: url, value: "${GIT}" }
      - { name: revision, value: main }
      - { name: pathInRepo, value: task/cloned.yaml }
`;

void test("http and git URLs under a mapped prefix come from the mirror; provenance names the URL asked for", async (t) => {
  const dir = tempDir(t);
  const httpBody = TASK("mirrored", "from-the-http-mirror");
  const mirror = await httpServer(t, (req, res) => {
    if (req.url === "/raw/task/mirrored.yaml") return res.end(httpBody);
    res.statusCode = 404;
    res.end();
  });
  const repo = gitRepo(join(dir, "mirror", "catalog"));
  const commit = repo.commit({ "task/cloned.yaml": TASK("cloned", "from-the-git-mirror") });
  const config = writeYaml(
    dir,
    "config.yaml",
    `resolution:\n  urlMap:\n    "${GIT}": "file://${repo.dir}"\n`,
  );
  const file = writeYaml(dir, "runs.yaml", runs);
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
    "--config",
    config,
    "--url-map",
    `${RAW}=${mirror.url}/raw/`,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[over-http\/say\] from-the-http-mirror/);
  assert.match(r.stderr, /\[over-git\/say\] from-the-git-mirror/);
  assert.deepEqual(mirror.requests, ["/raw/task/mirrored.yaml"]);
  const byName = new Map(objectsOf(r.stdout).map((o) => [o["metadata"].name as string, o]));
  assert.deepEqual(byName.get("over-http")!["status"].provenance.refSource, {
    uri: `${RAW}task/mirrored.yaml`,
    digest: { sha256: createHash("sha256").update(httpBody).digest("hex") },
  });
  assert.deepEqual(byName.get("over-git")!["status"].provenance.refSource, {
    uri: `git+${GIT}`,
    digest: { sha1: commit },
    entryPoint: "task/cloned.yaml",
  });
});

void test("a --url-map without PREFIX=BASE is refused as invalid input", async (t) => {
  const dir = tempDir(t);
  const file = writeYaml(dir, "runs.yaml", runs);
  const r = await runCli(["run", "-f", file, "--data-dir", join(dir, "data"), "--url-map", RAW]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`--url-map: invalid URL mapping "${RAW}": expected PREFIX=BASE`));
});
