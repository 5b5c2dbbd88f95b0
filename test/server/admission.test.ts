/**
 * Bad input through `tektite serve`, as kubectl and raw HTTP clients send it: every decoding and
 * admission failure is a Kubernetes Status (400, 413, 415 or 422, never 500), the server stays up
 * and nothing stored changes.
 */
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { ResourceTypes } from "../../src/store/index.js";
import { startHarness, type Harness } from "./harness.js";

const taskRunYaml = (name: string, stepExtra: string, meta = ""): string =>
  `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
${meta}spec:
  taskSpec:
    steps:
      - name: s
        image: docker.io/library/alpine:3.20
${stepExtra}`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** A request with the path sent exactly as given (no URL normalisation). */
function raw(
  h: Harness,
  method: string,
  path: string,
  body?: string,
  contentType = "application/json",
): Promise<Answer> {
  const url = new URL(h.server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        ca: h.server.certificate,
        agent: false,
        headers: { authorization: `Bearer ${h.server.token}`, "content-type": contentType },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            headers: res.headers,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const TASKRUNS = "/apis/tekton.dev/v1/namespaces/default/taskruns";

describe("admission through the API", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  const stored = (): string[] =>
    h.store.list(ResourceTypes.TaskRun, { namespace: "default" }).items.map((o) => o.metadata.name ?? "");

  it("kubectl apply of a wrongly typed field gets the webhook's decoding failure; nothing is stored", async () => {
    const r = await h.kubectl(["apply", "-f", "-"], taskRunYaml("typed", "        timeout: 5\n"));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /admission webhook "webhook\.pipeline\.tekton\.dev" denied the request: mutation failed: cannot decode incoming new object: json: cannot unmarshal number into Go struct field Step\.spec\.taskSpec\.steps\.timeout of type string/,
    );
    assert.doesNotMatch(r.stderr, /InternalError|is not a function/);
    assert.deepEqual(stored(), []);
    const get = await h.kubectl(["get", "taskruns"]);
    assert.equal(get.code, 0, "the server is still up");
  });

  it("kubectl apply of a typo is refused as an unknown field", async () => {
    const r = await h.kubectl(["apply", "-f", "-"], taskRunYaml("typo", "        scirpt: echo hi\n"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot decode incoming new object: json: unknown field "scirpt"/);
    assert.deepEqual(stored(), []);
  });

  it("an unknown metadata field: refused under kubectl's Strict, a warning under --validate=warn", async () => {
    const yaml = taskRunYaml("meta", "        script: echo hi\n", "  colour: red\n");
    const strict = await h.kubectl(["apply", "-f", "-"], yaml);
    assert.equal(strict.code, 1);
    assert.match(
      strict.stderr,
      /TaskRun in version "v1" cannot be handled as a TaskRun: strict decoding error: unknown field "metadata\.colour"/,
    );
    const warn = await h.kubectl(["create", "--validate=warn", "-f", "-"], yaml);
    assert.equal(warn.code, 0, warn.stderr);
    assert.match(warn.stderr, /Warning: unknown field "metadata\.colour"/);
    assert.deepEqual(stored(), ["meta"]);
    await h.kubectl(["delete", "taskrun", "meta"]);
  });

  it("bad label keys and values get the API server's 422", async () => {
    const labels = `  labels:\n    "bad key!": x\n    ok: ${"v".repeat(64)}\n`;
    const r = await h.kubectl(["apply", "-f", "-"], taskRunYaml("labels", "        script: echo\n", labels));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The TaskRun "labels" is invalid/);
    assert.match(
      r.stderr,
      /metadata\.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters/,
    );
    assert.match(r.stderr, /metadata\.labels: Invalid value: "v{64}": must be no more than 63 characters/);
    const typed = await raw(
      h,
      "POST",
      TASKRUNS,
      JSON.stringify({
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: { name: "n", labels: { a: 1 } },
        spec: {},
      }),
    );
    assert.equal(typed.status, 400);
    assert.equal(
      typed.body["message"],
      'TaskRun in version "v1" cannot be handled as a TaskRun: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
    assert.deepEqual(stored(), []);
  });

  it("answers malformed requests with 400, 415 and 422 Statuses", async () => {
    const noKind = await raw(
      h,
      "POST",
      TASKRUNS,
      JSON.stringify({ apiVersion: "tekton.dev/v1", metadata: { name: "k" } }),
    );
    assert.equal(noKind.status, 400);
    assert.match(String(noKind.body["message"]), /^Object 'Kind' is missing in '\{/);
    const noVersion = await raw(
      h,
      "POST",
      TASKRUNS,
      JSON.stringify({ kind: "TaskRun", metadata: { name: "k" } }),
    );
    assert.equal(noVersion.status, 400);
    assert.match(String(noVersion.body["message"]), /^Object 'apiVersion' is missing in/);

    const deep = `{"apiVersion":"tekton.dev/v1","kind":"TaskRun","metadata":{"name":"d"},"spec":{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const nested = await raw(h, "POST", TASKRUNS, deep);
    assert.equal(nested.status, 400);
    assert.match(String(nested.body["message"]), /exceeded max depth/);

    const text = await raw(h, "POST", TASKRUNS, "kind: TaskRun", "text/plain");
    assert.equal(text.status, 415);
    assert.equal(text.body["reason"], "UnsupportedMediaType");

    for (const ns of ["..", "%2e%2e", "%2E%2E"]) {
      const dots = await raw(h, "POST", `/apis/tekton.dev/v1/namespaces/${ns}/taskruns`, "{}");
      assert.equal(dots.status, 400, ns);
      assert.equal(dots.body["kind"], "Status");
    }

    const ok = await raw(
      h,
      "POST",
      TASKRUNS,
      JSON.stringify({
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: { name: "put" },
        spec: { taskSpec: { steps: [{ name: "s", image: "alpine", script: "echo" }] } },
      }),
    );
    assert.equal(ok.status, 201);
    const { resourceVersion: _rv, ...meta } = ok.body["metadata"] as Record<string, unknown>;
    const put = await raw(h, "PUT", `${TASKRUNS}/put`, JSON.stringify({ ...ok.body, metadata: meta }));
    assert.equal(put.status, 422);
    assert.equal(
      put.body["message"],
      'TaskRun.tekton.dev "put" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    assert.equal(put.body["reason"], "Invalid");
    await raw(h, "DELETE", `${TASKRUNS}/put`);
  });

  it("refuses an object over etcd's limit and a body over the request limit", async () => {
    const obj = (size: number) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "big" },
        data: { k: "x".repeat(size) },
      });
    const overEtcd = await raw(h, "POST", "/api/v1/namespaces/default/configmaps", obj(2 * 1024 * 1024));
    assert.equal(overEtcd.status, 413);
    assert.equal(overEtcd.body["message"], "etcdserver: request is too large");
    const overBody = await raw(h, "POST", "/api/v1/namespaces/default/configmaps", obj(4 * 1024 * 1024));
    assert.equal(overBody.status, 413);
    assert.equal(overBody.body["message"], "Request entity too large: limit is 3145728");
    assert.equal(h.store.get(ResourceTypes.ConfigMap, "default", "big"), undefined);
  });
});
