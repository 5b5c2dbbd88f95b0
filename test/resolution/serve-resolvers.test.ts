/**
 * Every built-in resolver through a real `tektite serve` and kubectl apply, resolving in the
 * server with the server's environment: a Task from Artifact Hub, a StepAction from another
 * namespace (cluster), a Pipeline from an OCI bundle whose task comes over HTTP.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { cleanup, serve, type Served } from "../helpers/serve.js";
import { httpServer, ociRegistry } from "./standins.js";

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

const PIPELINE = (taskUrl: string): string => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: bundled
spec:
  tasks:
    - name: fetched
      taskRef:
        resolver: http
        params:
          - { name: url, value: "${taskUrl}" }
`;

async function status(s: Served, kind: string, name: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await s.kubectl(["get", kind, name, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const st = (JSON.parse(r.stdout) as { status?: Record<string, any> }).status ?? {};
    const c = (st["conditions"] as Array<{ type: string; status: string }> | undefined)?.find(
      (x) => x.type === "Succeeded",
    );
    if (c !== undefined && c.status !== "Unknown") return st;
    if (Date.now() > deadline) throw new Error(`${kind}/${name} did not finish: ${r.stdout}\n${s.output()}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

void test("hub, cluster, bundles and http resolve a Task, a StepAction and a Pipeline in tektite serve, with provenance", async (t) => {
  const dir = tempDir(t);
  const httpTask = task("over-http", "task-over-http");
  const web = await httpServer(t, (req, res) => {
    res.setHeader("content-type", "application/json");
    const pkg = "/api/v1/packages/tekton-task/tekton-catalog-tasks/greet";
    if (req.url === pkg)
      return res.end(JSON.stringify({ version: "0.2.0", available_versions: [{ version: "0.2.0" }] }));
    if (req.url === `${pkg}/0.2.0`)
      return res.end(JSON.stringify({ data: { manifestRaw: task("greet", "hello-from-the-hub") } }));
    if (req.url === "/tasks/over-http.yaml") return res.end(httpTask);
    res.statusCode = 404;
    res.end("{}");
  });
  const registry = await ociRegistry(t, join(dir, "registry"));
  const ref = `${registry}/tekton/pipelines/bundled:v1`;
  const pushed = await runCli([
    "bundle",
    "push",
    ref,
    "-f",
    writeYaml(dir, "pipeline.yaml", PIPELINE(`${web.url}/tasks/over-http.yaml`)),
  ]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const digest = /@sha256:([0-9a-f]{64})$/m.exec(pushed.stdout)![1]!;

  // The resolvers' deployment reads ARTIFACT_HUB_API from its environment; so does the server.
  process.env["ARTIFACT_HUB_API"] = web.url;
  const s = await serve({ args: ["--sandbox", "none"] });
  t.after(() => cleanup(s));
  const ns = await s.kubectl(["create", "namespace", "shared"]);
  assert.equal(ns.code, 0, ns.stderr);
  const applied = await s.kubectl(
    ["apply", "-f", "-"],
    `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: shared-action
  namespace: shared
spec:
  image: busybox
  script: echo action-from-another-namespace
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: from-hub
spec:
  taskRef:
    resolver: hub
    params:
      - { name: name, value: greet }
      - { name: version, value: "0.2" }
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: from-cluster
spec:
  taskSpec:
    steps:
      - name: act
        ref:
          resolver: cluster
          params:
            - { name: kind, value: stepaction }
            - { name: name, value: shared-action }
            - { name: namespace, value: shared }
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: from-bundle
spec:
  pipelineRef:
    resolver: bundles
    params:
      - { name: bundle, value: "${ref}" }
      - { name: name, value: bundled }
      - { name: kind, value: pipeline }
`,
  );
  assert.equal(applied.code, 0, applied.stderr);

  const hub = await status(s, "taskrun", "from-hub");
  assert.equal(hub["conditions"][0].reason, "Succeeded", JSON.stringify(hub["conditions"]));
  assert.equal(
    hub["provenance"].refSource.uri,
    `${web.url}/api/v1/packages/tekton-task/tekton-catalog-tasks/greet/0.2.0`,
  );
  assert.match((await s.kubectl(["logs", "from-hub-pod"])).stdout, /hello-from-the-hub/);

  const cluster = await status(s, "taskrun", "from-cluster");
  assert.equal(cluster["conditions"][0].reason, "Succeeded", JSON.stringify(cluster["conditions"]));
  // Tekton's cluster resolver names the object by v1 group version, kind param, name and uid.
  assert.match(
    cluster["steps"][0].provenance.refSource.uri,
    /^\/apis\/tekton\.dev\/v1\/namespaces\/shared\/stepaction\/shared-action@[0-9a-f-]{36}$/,
  );
  assert.match((await s.kubectl(["logs", "from-cluster-pod"])).stdout, /action-from-another-namespace/);

  const bundle = await status(s, "pipelinerun", "from-bundle");
  assert.equal(bundle["conditions"][0].reason, "Succeeded", JSON.stringify(bundle["conditions"]));
  assert.deepEqual(bundle["provenance"].refSource, {
    uri: `${registry}/tekton/pipelines/bundled`,
    digest: { sha256: digest },
    entryPoint: "bundled",
  });
  const child = await status(s, "taskrun", "from-bundle-fetched");
  assert.deepEqual(child["provenance"].refSource, {
    uri: `${web.url}/tasks/over-http.yaml`,
    digest: { sha256: createHash("sha256").update(httpTask).digest("hex") },
  });

  const list = await s.kubectl(["get", "resolutionrequests", "-o", "name"]);
  assert.equal(list.code, 0, list.stderr);
  for (const resolver of ["hub", "cluster", "bundles", "http"]) {
    assert.match(list.stdout, new RegExp(`resolutionrequest.resolution.tekton.dev/${resolver}-[0-9a-f]{32}`));
  }
});
