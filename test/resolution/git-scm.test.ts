/**
 * The git resolver's SCM-API mode against a local server answering the endpoints go-scm calls for
 * GitHub (Enterprise), GitLab and Gitea, backed by a real git repository: file contents, the
 * revision's commit and the clone URL, with the token from a Secret or from the resolver's config.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import type { IncomingMessage, ServerResponse } from "node:http";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { gitRepo, httpServer } from "./standins.js";

const TOKEN = "s3cret-token";
const SYSTEM_TOKEN = "system-token";

/** Answers GitHub's /api/v3, GitLab's /api/v4 and Gitea's /api/v1 routes for org "tekton". */
function scmApi(repoDir: string, base: () => string) {
  const git = (...args: string[]): string | undefined => {
    try {
      return execFileSync("git", ["-C", repoDir, ...args], { encoding: "utf8", stdio: "pipe" });
    } catch {
      return undefined;
    }
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    const ref = url.searchParams.get("ref") ?? "";
    const [api, version] = parts;
    const auth =
      version === "v4"
        ? req.headers["private-token"]
        : (req.headers.authorization ?? "").replace(/^\S+ /, "");
    const scheme = (req.headers.authorization ?? "").split(" ")[0];
    const wantScheme = version === "v3" ? "Bearer" : version === "v1" ? "token" : undefined;
    if (api !== "api" || (auth !== TOKEN && auth !== SYSTEM_TOKEN) || (wantScheme && scheme !== wantScheme))
      return json(res, 401, { message: "Bad credentials" });
    let repo: string | undefined;
    let rest: string[];
    if (version === "v4") {
      // /projects/<org%2Frepo>/repository/{files/<path>|commits/<ref>}
      if (parts[2] !== "projects") return json(res, 404, { message: "404 Not Found" });
      repo = parts[3];
      rest = parts.slice(4);
    } else {
      if (parts[2] !== "repos") return json(res, 404, { message: "Not Found" });
      repo = `${parts[3]}/${parts[4]}`;
      rest = parts.slice(5);
    }
    if (repo !== "tekton/catalog") return json(res, 404, { message: "Not Found" });
    const cloneUrl = `${base()}/tekton/catalog.git`;
    if (rest.length === 0) {
      return json(res, 200, version === "v4" ? { http_url_to_repo: cloneUrl } : { clone_url: cloneUrl });
    }
    if (version === "v4") rest = rest[0] === "repository" ? rest.slice(1) : ["?"];
    if (version === "v1" && rest[0] === "git") rest = rest.slice(1);
    if (rest[0] === "contents" || rest[0] === "files") {
      const path = rest.slice(1).join("/");
      const text = git("show", `${ref}:${path}`);
      if (text === undefined)
        return json(res, 404, { message: version === "v4" ? "404 File Not Found" : "Not Found" });
      const content = Buffer.from(text).toString("base64");
      return json(
        res,
        200,
        version === "v4" ? { file_path: path, content } : { type: "file", path, content },
      );
    }
    if (rest[0] === "commits" && rest.length === 2) {
      const sha = git("rev-parse", "--verify", `${rest[1]}^{commit}`)?.trim();
      if (sha === undefined) return json(res, 404, { message: "Not Found" });
      return json(res, 200, version === "v4" ? { id: sha } : { sha });
    }
    json(res, 404, { message: "Not Found" });
  };
}

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  steps:
    - name: say
      image: busybox
      script: echo hello through the SCM API
`;

const taskRun = (name: string, params: Record<string, string>): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskRef:
    resolver: git
    params:
${Object.entries({
  org: "tekton",
  repo: "catalog",
  revision: "main",
  pathInRepo: "task/greet.yaml",
  ...params,
})
  .map(([k, v]) => `      - { name: ${k}, value: "${v}" }`)
  .join("\n")}
`;

void test("SCM API mode: GitHub, GitLab and Gitea endpoints with a token from a Secret or the config, provenance and Tekton's messages", async (t) => {
  const dir = tempDir(t);
  const repo = gitRepo(join(dir, "catalog"));
  const commit = repo.commit({ "task/greet.yaml": TASK });
  let base = "";
  const server = await httpServer(
    t,
    scmApi(repo.dir, () => base),
  );
  base = server.url;
  const withToken = { token: "scm-token", tokenKey: "token", serverURL: base };
  const secrets = `apiVersion: v1
kind: Secret
metadata:
  name: scm-token
stringData:
  token: ${TOKEN}
---
apiVersion: v1
kind: Secret
metadata:
  name: wrong-token
stringData:
  token: not-the-token
---
apiVersion: v1
kind: Secret
metadata:
  name: system-token
stringData:
  api: ${SYSTEM_TOKEN}
---
`;
  const runs = [
    taskRun("github", { ...withToken, scmType: "github" }),
    taskRun("gitlab", { ...withToken, scmType: "gitlab" }),
    taskRun("gitea", { ...withToken, scmType: "gitea" }),
    taskRun("system-token", {}),
    taskRun("bad-token", { ...withToken, token: "wrong-token", scmType: "github" }),
    taskRun("missing-file", { ...withToken, scmType: "gitlab", pathInRepo: "task/none.yaml" }),
    taskRun("other-server", { scmType: "gitea", serverURL: "http://127.0.0.1:9" }),
    taskRun("unknown-type", { ...withToken, scmType: "svn" }),
  ];
  const file = writeYaml(dir, "runs.yaml", secrets + runs.join("---\n"));
  // The system token lives in the config: gitea at the stand-in, as an operator would set it.
  const config = writeYaml(
    dir,
    "config.yaml",
    `resolvers:
  git-resolver-config:
    scm-type: gitea
    server-url: ${base}
    api-token-secret-name: system-token
    api-token-secret-key: api
    api-token-secret-namespace: default
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
    "--config",
    config,
  ]);
  const byName = new Map(objectsOf(r.stdout).map((o) => [o["metadata"].name as string, o]));
  for (const name of ["github", "gitlab", "gitea", "system-token"]) {
    const tr = byName.get(name)!;
    assert.equal(condition(tr).reason, "Succeeded", `${name}: ${JSON.stringify(condition(tr))}`);
    assert.deepEqual(tr["status"].provenance.refSource, {
      uri: `git+${base}/tekton/catalog.git`,
      digest: { sha1: commit },
      entryPoint: "task/greet.yaml",
    });
    assert.match(r.stderr, new RegExp(`\\[${name}/say\\] hello through the SCM API`));
  }
  const key = '"default\\/git-[0-9a-f]{32}"';
  const failures: Array<[string, string]> = [
    ["bad-token", `error getting "Git" ${key}: couldn't fetch resource content: Bad credentials`],
    ["missing-file", `error getting "Git" ${key}: couldn't fetch resource content: 404 File Not Found`],
    [
      "other-server",
      `error getting "Git" ${key}: custom serverURL "http://127.0.0.1:9" requires a token parameter; the system token cannot be sent to a non-default server URL`,
    ],
    [
      "unknown-type",
      `error getting "Git" ${key}: failed to create SCM client: unsupported \\$GIT_KIND value: svn`,
    ],
  ];
  for (const [name, message] of failures) {
    const c = condition(byName.get(name)!);
    assert.equal(c.reason, "TaskRunResolutionFailed", name);
    assert.match(c.message, new RegExp(`^error requesting remote resource: ${message}$`), name);
  }
  // Each kind asked its own routes; nothing climbed out of the repository's.
  assert.ok(server.requests.includes("/api/v3/repos/tekton/catalog/contents/task/greet%2Eyaml?ref=main"));
  assert.ok(
    server.requests.includes(
      "/api/v4/projects/tekton%2Fcatalog/repository/files/task%2Fgreet%2Eyaml?ref=main",
    ),
  );
  assert.ok(server.requests.includes("/api/v1/repos/tekton/catalog/git/commits/main"));
});
