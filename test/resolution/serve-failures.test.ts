/**
 * Resolution failures through a real `tektite serve` with kubectl: Tekton's reasons and messages
 * for a missing file, a resolver that never answers (the global timeout), a Pipeline and a
 * pipeline task that cannot be fetched, the ResolutionRequests kubectl lists, and the refusal of
 * local git repositories unless the server is started with --allow-local-git.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir, writeYaml } from "../helpers/cli.js";
import { cleanup, serve, type Served } from "../helpers/serve.js";
import { gitRepo } from "./standins.js";

const KEY = (resolver: string): string => `"default/${resolver}-[0-9a-f]{32}"`;

async function condition(
  s: Served,
  kind: string,
  name: string,
): Promise<{ reason: string; message: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await s.kubectl(["get", kind, name, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const obj = JSON.parse(r.stdout) as {
      status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
    };
    const c = obj.status?.conditions?.find((x) => x.type === "Succeeded");
    if (c !== undefined && c.status !== "Unknown") return { reason: c.reason, message: c.message };
    if (Date.now() > deadline) throw new Error(`${kind}/${name} did not finish: ${r.stdout}\n${s.output()}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** A server that answers /missing with 404 and never answers anything under /stalled. */
async function flakyServer(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/stalled")) return;
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const httpTaskRun = (name: string, url: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskRef:
    resolver: http
    params:
      - { name: url, value: "${url}" }
`;

const gitTaskRun = (name: string, url: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskRef:
    resolver: git
    params:
      - { name: url, value: "${url}" }
      - { name: revision, value: main }
      - { name: pathInRepo, value: task.yaml }
`;

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: local-task
spec:
  steps:
    - name: hello
      image: busybox
      script: echo from a local repository
`;

void test("resolution failures in tektite serve carry Tekton's reasons and messages, and kubectl lists the failed ResolutionRequests", async (t) => {
  const dir = tempDir(t);
  const base = await flakyServer(t);
  const repo = gitRepo(join(dir, "repo"));
  repo.commit({ "task.yaml": TASK });
  const config = writeYaml(
    dir,
    "config.yaml",
    `defaults:\n  default-maximum-resolution-timeout: 4s\nresolvers:\n  git-resolver-config:\n    fetch-timeout: 1s\n    default-url: file://${repo.dir}\n`,
  );
  const s = await serve({ args: ["--sandbox", "none", "--config", config] });
  t.after(() => cleanup(s));
  const manifests = [
    httpTaskRun("missing-file", `${base}/missing`),
    httpTaskRun("stalled", `${base}/stalled`),
    gitTaskRun("local-git", `file://${repo.dir}`),
    gitTaskRun("local-path", repo.dir),
    gitTaskRun("own-deadline", `${base}/stalled/repo.git`).replace("spec:\n", "spec:\n  timeout: 5s\n"),
    `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: no-pipeline
spec:
  pipelineRef:
    resolver: http
    params:
      - { name: url, value: "${base}/missing" }
`,
    `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: no-task
spec:
  pipelineSpec:
    tasks:
      - name: fetched
        taskRef:
          resolver: http
          params:
            - { name: url, value: "${base}/missing" }
`,
  ].join("---\n");
  const applied = await s.kubectl(["apply", "-f", "-"], manifests);
  assert.equal(applied.code, 0, applied.stderr);

  const notFound = `error requesting remote resource: error getting "Http" ${KEY("http")}: requested URL '${base}/missing' is not found`;
  const missing = await condition(s, "taskrun", "missing-file");
  assert.equal(missing.reason, "TaskRunResolutionFailed");
  assert.match(missing.message, new RegExp(`^${notFound}$`));

  const stalled = await condition(s, "taskrun", "stalled");
  assert.equal(stalled.reason, "TaskRunResolutionFailed");
  assert.equal(
    stalled.message,
    "error requesting remote resource: resolution took longer than global timeout of 4s",
  );

  for (const [name, url] of [
    ["local-git", `file://${repo.dir}`],
    ["local-path", repo.dir],
  ] as const) {
    const c = await condition(s, "taskrun", name);
    assert.equal(c.reason, "TaskRunResolutionFailed");
    assert.match(
      c.message,
      new RegExp(
        `^error requesting remote resource: invalid resource request ${KEY("git")}: local repository "${url}" refused: this server reads local paths and file:// URLs only when started with --allow-local-git \\(resolution.allowLocalGit\\)$`,
      ),
    );
  }

  // The git resolver's own fetch-timeout (1s) passes before the global one (4s): Tekton's
  // resolver fails the request, the run takes that as transient and waits until its own timeout.
  const ownDeadline = await condition(s, "taskrun", "own-deadline");
  assert.equal(ownDeadline.reason, "TaskRunTimeout");
  assert.equal(
    ownDeadline.message,
    'TaskRun "own-deadline" failed to finish within "5s"\nPrevious status: [ResolvingTaskRef] TaskRun default/own-deadline awaiting remote resource',
  );

  const noPipeline = await condition(s, "pipelinerun", "no-pipeline");
  assert.equal(noPipeline.reason, "CouldntGetPipeline");
  assert.match(
    noPipeline.message,
    new RegExp(`^Error retrieving pipeline for pipelinerun default/no-pipeline: ${notFound}$`),
  );
  const noTask = await condition(s, "pipelinerun", "no-task");
  assert.equal(noTask.reason, "CouldntGetTask");
  assert.match(
    noTask.message,
    new RegExp(
      `^Pipeline default/no-task can't be Run; it contains Tasks that don't exist: Couldn't retrieve Task "": ${notFound}$`,
    ),
  );

  const list = await s.kubectl(["get", "resolutionrequests"]);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split("\n");
  for (const [resolver, kind, owner, reason] of [
    ["http", "TaskRun", "missing-file", "ResolutionFailed"],
    ["http", "TaskRun", "stalled", "ResolutionTimedOut"],
    ["git", "TaskRun", "local-git", "ResolutionFailed"],
    ["git", "TaskRun", "own-deadline", "ResolutionFailed"],
    ["http", "PipelineRun", "no-pipeline", "ResolutionFailed"],
    ["http", "PipelineRun", "no-task", "ResolutionFailed"],
  ] as const) {
    assert.ok(
      lines.some((l) =>
        new RegExp(`^${resolver}-[0-9a-f]{32}\\s+${kind}\\s+${owner}\\s+False\\s+${reason}\\s`).test(l),
      ),
      `${owner}: ${list.stdout}`,
    );
  }
  const requests = await s.kubectl(["get", "resolutionrequests", "-o", "json"]);
  const own = (
    JSON.parse(requests.stdout) as {
      items: Array<{
        metadata: { ownerReferences: Array<{ name: string }> };
        status: { conditions: Array<{ message: string }> };
      }>;
    }
  ).items.find((i) => i.metadata.ownerReferences[0]?.name === "own-deadline");
  assert.equal(own?.status.conditions[0]?.message, "context deadline exceeded");
});

void test("tektite serve --allow-local-git lets the git resolver read a local repository", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"));
  const commit = repo.commit({ "task.yaml": TASK });
  const s = await serve({ args: ["--sandbox", "none", "--allow-local-git"] });
  t.after(() => cleanup(s));
  const applied = await s.kubectl(["apply", "-f", "-"], gitTaskRun("local-git", `file://${repo.dir}`));
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(await s.finished("local-git"), "Succeeded", s.output());
  assert.equal(await s.jsonpath("local-git", "{.status.provenance.refSource.digest.sha1}"), commit);
  const logs = await s.kubectl(["logs", "local-git-pod"]);
  assert.match(logs.stdout, /from a local repository/, logs.stderr);
});

void test("tektite serve lets the operator's default-url name a local repository: only a run's own url is refused", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "repo"));
  repo.commit({ "task.yaml": TASK });
  const config = writeYaml(
    dir,
    "config.yaml",
    `resolvers:\n  git-resolver-config:\n    default-url: file://${repo.dir}\n`,
  );
  const s = await serve({ args: ["--sandbox", "none", "--config", config] });
  t.after(() => cleanup(s));
  const run = gitTaskRun("operator-default", "").replace(/\n {6}- \{ name: url, value: "" \}/, "");
  const applied = await s.kubectl(["apply", "-f", "-"], run);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal((await condition(s, "taskrun", "operator-default")).reason, "Succeeded");
});
