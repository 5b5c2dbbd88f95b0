import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { condition, runInDir, tempDir, writeYaml } from "../helpers/cli.js";
import { httpServer } from "./standins.js";

const task = (name: string, text: string): string => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: ${name}
spec:
  steps:
    - name: say
      image: busybox
      script: echo ${text}
`;

const refRun = (
  name: string,
  resolver: string,
  params: Record<string, string>,
): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskRef:
    resolver: ${resolver}
    params:
${Object.entries(params)
  .map(([k, v]) => `      - name: ${k}\n        value: "${v}"`)
  .join("\n")}
`;

async function run(dir: string, yaml: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = await runInDir(dir, yaml, extra, { env });
  return { ...r, byName: new Map(r.objects().map((o) => [o["metadata"].name as string, o])) };
}

void test("http: a Task fetched over HTTP, with basic auth from a Secret, a digest check, and Tekton's messages", async (t) => {
  const dir = tempDir(t);
  const body = task("fetched", "over-http");
  const server = await httpServer(t, (req, res) => {
    if (req.url === "/open/task.yaml") return res.end(body);
    if (req.url === "/private/task.yaml") {
      if (req.headers.authorization !== `Basic ${Buffer.from("git:tok3n").toString("base64")}`) {
        res.statusCode = 401;
        return res.end("no");
      }
      return res.end(body);
    }
    res.statusCode = 404;
    res.end();
  });
  const sha = createHash("sha256").update(body).digest("hex");
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: my-secret
stringData:
  token: tok3n
---
`;
  const auth = {
    "http-username": "git",
    "http-password-secret": "my-secret",
    "http-password-secret-key": "token",
  };
  const r = await run(
    dir,
    secret +
      [
        refRun("open", "http", { url: `${server.url}/open/task.yaml`, digest: `sha256:${sha}` }),
        refRun("private", "http", { url: `${server.url}/private/task.yaml`, ...auth }),
        refRun("no-auth", "http", { url: `${server.url}/private/task.yaml` }),
        refRun("bad-digest", "http", {
          url: `${server.url}/open/task.yaml`,
          digest: `sha256:${"0".repeat(64)}`,
        }),
        refRun("half-auth", "http", { url: `${server.url}/open/task.yaml`, "http-username": "git" }),
      ].join("---\n"),
  );
  for (const name of ["open", "private"]) {
    const tr = r.byName.get(name)!;
    assert.equal(condition(tr).reason, "Succeeded", JSON.stringify(condition(tr)));
    assert.deepEqual(tr["status"].provenance.refSource, {
      uri: `${server.url}/${name}/task.yaml`,
      digest: { sha256: sha },
    });
  }
  assert.match(r.stderr, /\[private\/say\] over-http/);
  const key = '"default\\/http-[0-9a-f]{32}"';
  assert.match(
    condition(r.byName.get("no-auth")!).message,
    new RegExp(
      `^error requesting remote resource: error getting "Http" ${key}: requested URL '${server.url}/private/task.yaml' is not found$`,
    ),
  );
  assert.match(
    condition(r.byName.get("bad-digest")!).message,
    new RegExp(
      `error getting "Http" ${key}: error validating digest: SHA mismatch, expected 0{64}, got ${sha}$`,
    ),
  );
  assert.match(
    condition(r.byName.get("half-auth")!).message,
    new RegExp(
      `invalid resource request ${key}: missing required param http-password-secret when using http-username$`,
    ),
  );
});

void test("hub: Artifact Hub's package endpoint with a version constraint, Tekton Hub with TEKTON_HUB_API, and Tekton's messages", async (t) => {
  const dir = tempDir(t);
  const versions = ["0.7.0", "0.9.0", "0.10.0", "0.10.1-rc1"].map((v) => ({
    version: v,
    prerelease: v.includes("-"),
  }));
  const artifact = await httpServer(t, (req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/api/v1/packages/tekton-task/tekton-catalog-tasks/git-clone") {
      return res.end(JSON.stringify({ version: "0.10.0", available_versions: versions }));
    }
    const m = /^\/api\/v1\/packages\/tekton-task\/tekton-catalog-tasks\/git-clone\/([\d.]+)$/.exec(
      req.url ?? "",
    );
    if (m) return res.end(JSON.stringify({ data: { manifestRaw: task("git-clone", `artifact-${m[1]}`) } }));
    res.statusCode = 404;
    res.end("{}");
  });
  const tekton = await httpServer(t, (req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/resource/Tekton/task/golang-build") {
      return res.end(JSON.stringify({ data: { versions: [{ version: "0.2" }, { version: "0.3.1" }] } }));
    }
    if (req.url === "/v1/resource/Tekton/task/golang-build/0.3/yaml") {
      return res.end(JSON.stringify({ data: { yaml: task("golang-build", "tekton-hub") } }));
    }
    res.statusCode = 404;
    res.end("{}");
  });
  const r = await run(
    dir,
    [
      refRun("exact", "hub", { name: "git-clone", version: "0.10" }),
      refRun("constraint", "hub", {
        type: "artifact",
        kind: "task",
        name: "git-clone",
        version: ">= 0.8, < 0.10",
      }),
      refRun("tekton", "hub", { type: "tekton", name: "golang-build", version: "0.3.1" }),
      refRun("none", "hub", { name: "git-clone", version: "> 1.0" }),
      refRun("bad-kind", "hub", { name: "x", version: "1", kind: "widget" }),
    ].join("---\n"),
    [],
    { ARTIFACT_HUB_API: artifact.url, TEKTON_HUB_API: tekton.url },
  );
  assert.match(r.stderr, /\[exact\/say\] artifact-0.10.0/);
  assert.match(r.stderr, /\[constraint\/say\] artifact-0.9.0/);
  assert.match(r.stderr, /\[tekton\/say\] tekton-hub/);
  const exact = r.byName.get("exact")!;
  assert.equal(
    exact["status"].provenance.refSource.uri,
    `${artifact.url}/api/v1/packages/tekton-task/tekton-catalog-tasks/git-clone/0.10.0`,
  );
  assert.match(
    condition(r.byName.get("none")!).message,
    /^error requesting remote resource: error getting "Hub" "default\/hub-[0-9a-f]{32}": no version found for constraint > 1.0$/,
  );
  assert.match(
    condition(r.byName.get("bad-kind")!).message,
    /invalid resource request "default\/hub-[0-9a-f]{32}": failed to populate default params: failed to resolve catalog name with kind: widget$/,
  );
});

void test("cluster: a Task from another namespace, within allowed-namespaces and blocked-namespaces", async (t) => {
  const dir = tempDir(t);
  const config = writeYaml(
    dir,
    "config.yaml",
    "resolvers:\n  cluster-resolver-config:\n    allowed-namespaces: shared, tools\n    blocked-namespaces: secret-stuff\n",
  );
  const shared = (ns: string): string =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\n${task("common", `from-${ns}`).replace("  name: common", `  name: common\n  namespace: ${ns}`)}---\n`;
  const r = await run(
    dir,
    shared("shared") +
      shared("secret-stuff") +
      shared("elsewhere") +
      [
        refRun("allowed", "cluster", { kind: "task", name: "common", namespace: "shared" }),
        refRun("blocked", "cluster", { name: "common", namespace: "secret-stuff" }),
        refRun("not-allowed", "cluster", { name: "common", namespace: "elsewhere" }),
        refRun("absent", "cluster", { name: "nope", namespace: "shared" }),
      ].join("---\n"),
    ["--config", config],
  );
  assert.match(r.stderr, /\[allowed\/say\] from-shared/);
  const allowed = r.byName.get("allowed")!;
  assert.match(
    allowed["status"].provenance.refSource.uri,
    /^\/apis\/tekton.dev\/v1\/namespaces\/shared\/task\/common@[0-9a-f-]{36}$/,
  );
  const key = '"default\\/cluster-[0-9a-f]{32}"';
  assert.match(
    condition(r.byName.get("blocked")!).message,
    new RegExp(`invalid resource request ${key}: access to specified namespace secret-stuff is blocked$`),
  );
  assert.match(
    condition(r.byName.get("not-allowed")!).message,
    new RegExp(`invalid resource request ${key}: access to specified namespace elsewhere is not allowed$`),
  );
  assert.match(
    condition(r.byName.get("absent")!).message,
    new RegExp(`error getting "Cluster" ${key}: tasks.tekton.dev "nope" not found$`),
  );
});
