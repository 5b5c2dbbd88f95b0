import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { condition, runInDir, tempDir, writeYaml } from "../helpers/cli.js";
import { gitDaemon, gitRepo } from "./standins.js";

const TASK = (greeting: string): string => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
  labels:
    catalog: local
spec:
  params:
    - name: who
  steps:
    - name: say
      image: busybox
      script: echo ${greeting} $(params.who)
`;

const taskRun = (
  name: string,
  url: string,
  revision: string,
  path = "task/greet.yaml",
): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  params:
    - name: who
      value: git
  taskRef:
    resolver: git
    params:
      - name: url
        value: ${url}
      - name: revision
        value: ${revision}
      - name: pathInRepo
        value: ${path}
`;

void test("resolves a Task from a git repository by path, file:// and git daemon, at a branch, a tag and a commit, and records the commit", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repos", "catalog"));
  const first = repo.commit({ "task/greet.yaml": TASK("hello") });
  repo.git("tag", "v1");
  const second = repo.commit({ "task/greet.yaml": TASK("bonjour") });
  const daemon = await gitDaemon(t, join(dir, "repos"));
  const cases: Array<[string, string, string, string, string]> = [
    ["by-path", repo.dir, "main", second, "bonjour"],
    ["by-file-url", `file://${repo.dir}`, "v1", first, "hello"],
    ["by-daemon", `${daemon}/catalog`, first, first, "hello"],
    ["daemon-branch", `${daemon}/catalog`, "main", second, "bonjour"],
  ];
  const r = await runInDir(dir, cases.map(([n, url, rev]) => taskRun(n, url, rev)).join("---\n"));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const [name, url, , commit, greeting] of cases) {
    assert.match(r.stderr, new RegExp(`\\[${name}/say\\] ${greeting} git`));
    const tr = r.objects().find((o) => o["metadata"].name === name)!;
    assert.equal(condition(tr).reason, "Succeeded");
    assert.deepEqual(tr["status"].provenance.refSource, {
      uri: `git+${url}`,
      digest: { sha1: commit },
      entryPoint: "task/greet.yaml",
    });
    assert.equal(tr["metadata"].labels["tekton.dev/task"], "greet");
    assert.equal(tr["metadata"].labels["catalog"], "local");
  }
});

void test("a missing file, bad params and a disabled resolver fail with Tekton's reasons and messages", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"));
  repo.commit({ "task/greet.yaml": TASK("hello") });
  const noPath = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: no-path
spec:
  taskRef:
    resolver: git
    params:
      - name: url
        value: ${repo.dir}
`;
  const r = await runInDir(
    dir,
    [taskRun("missing", repo.dir, "main", "task/nope.yaml"), noPath].join("---\n"),
  );
  assert.equal(r.code, 1);
  const [missing, bad] = r.objects();
  assert.equal(condition(missing!).reason, "TaskRunResolutionFailed");
  assert.match(
    condition(missing!).message,
    /^error requesting remote resource: error getting "Git" "default\/git-[0-9a-f]{32}": error opening file "task\/nope.yaml": file does not exist$/,
  );
  assert.equal(condition(bad!).reason, "TaskRunResolutionFailed");
  assert.match(
    condition(bad!).message,
    /^error requesting remote resource: invalid resource request "default\/git-[0-9a-f]{32}": missing required git resolver params: pathInRepo$/,
  );

  const config = writeYaml(dir, "config.yaml", "featureFlags:\n  enable-git-resolver: false\n");
  const off = await runInDir(dir, taskRun("disabled", repo.dir, "main"), ["--config", config]);
  assert.match(
    condition(off.objects()[0]!).message,
    /invalid resource request "default\/git-[0-9a-f]{32}": cannot handle resolution request, enable-git-resolver feature flag not true$/,
  );
});

void test("default-url and default-revision come from git-resolver-config through --config", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"), "trunk");
  repo.commit({ "greet.yaml": TASK("hi") });
  const config = writeYaml(
    dir,
    "config.yaml",
    `resolvers:\n  git-resolver-config:\n    default-url: file://${repo.dir}\n    default-revision: trunk\n`,
  );
  const r = await runInDir(
    dir,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: defaults
spec:
  params: [{ name: who, value: config }]
  taskRef:
    resolver: git
    params:
      - name: pathInRepo
        value: /greet.yaml
`,
    ["--config", config],
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[defaults\/say\] hi config/);
});

void test("a StepAction from git, with TaskRun params substituted into the ref's params", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"));
  const commit = repo.commit({
    "stepaction/echo.yaml": `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: echo
spec:
  params:
    - name: text
  image: busybox
  env:
    - name: TEXT
      value: $(params.text)
  script: echo "action says $TEXT"
`,
  });
  const r = await runInDir(
    dir,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: with-action
spec:
  params:
    - name: repoUrl
      value: file://${repo.dir}
  taskSpec:
    params:
      - name: repoUrl
      - name: path
        default: stepaction/echo.yaml
    steps:
      - name: act
        ref:
          resolver: git
          params:
            - name: url
              value: $(params.repoUrl)
            - name: revision
              value: main
            - name: pathInRepo
              value: $(params.path)
        params:
          - name: text
            value: hi
`,
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /\[with-action\/act\] action says hi/);
  const tr = r.objects()[0]!;
  assert.deepEqual(tr["status"].steps[0].provenance.refSource, {
    uri: `git+file://${repo.dir}`,
    digest: { sha1: commit },
    entryPoint: "stepaction/echo.yaml",
  });
});

void test("a repeated run resolves from the cache: a commit without the network, a branch with --offline", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"));
  const commit = repo.commit({ "task/greet.yaml": TASK("cached") });
  const first = await runInDir(
    dir,
    [taskRun("by-commit", repo.dir, commit), taskRun("by-branch", repo.dir, "main")].join("---\n"),
  );
  assert.equal(first.code, 0, first.stdout + first.stderr);
  rmSync(repo.dir, { recursive: true, force: true });
  const byCommit = await runInDir(dir, taskRun("again-commit", repo.dir, commit));
  assert.equal(byCommit.code, 0, byCommit.stdout + byCommit.stderr);
  assert.match(byCommit.stderr, /\[again-commit\/say\] cached git/);
  const online = await runInDir(dir, taskRun("again-branch", repo.dir, "main"));
  assert.equal(condition(online.objects()[0]!).reason, "TaskRunResolutionFailed");
  assert.match(condition(online.objects()[0]!).message, /error resolving repository: git clone error: /);
  const offline = await runInDir(dir, taskRun("offline-branch", repo.dir, "main"), ["--offline"]);
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  const never = await runInDir(dir, taskRun("offline-miss", repo.dir, "other"), ["--offline"]);
  assert.match(condition(never.objects()[0]!).message, /: offline: .* at other is not in the cache$/);
});
