/** Authentication, limits and names: what a client cannot make the server do. */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openMemoryStore } from "../../src/store/index.js";
import { startHarness, type Harness } from "./harness.js";

describe("API security", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("refuses requests without the bearer token with a 401 Status, except health and version", async () => {
    const r = await h.http("GET", "/apis/tekton.dev/v1/taskruns", { token: null });
    assert.equal(r.status, 401);
    assert.deepEqual(JSON.parse(r.body), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    assert.equal((await h.http("GET", "/api", { token: "wrong" })).status, 401);
    assert.equal((await h.http("GET", "/healthz", { token: null })).status, 200);
    assert.equal((await h.http("GET", "/version", { token: null })).status, 200);
  });

  it("keeps the token in a 0600 file in the data dir", () => {
    assert.equal(statSync(join(h.dataDir, "token")).mode & 0o777, 0o600);
    assert.equal(statSync(join(h.dataDir, "tls", "server.key")).mode & 0o777, 0o600);
  });

  it("refuses path-escaping names for logs and objects", async () => {
    for (const pod of ["..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%00b"]) {
      const r = await h.http("GET", `/api/v1/namespaces/default/pods/${pod}/log?container=x`);
      assert.ok(r.status === 400 || r.status === 404, `${pod}: ${r.status}`);
      assert.equal(JSON.parse(r.body).kind, "Status");
    }
    const traversal = await h.http(
      "GET",
      "/api/v1/namespaces/default/pods/ok-pod/log?container=..%2F..%2Ftoken",
    );
    assert.equal(traversal.status, 404);
    const create = await h.http("POST", "/api/v1/namespaces/default/configmaps", {
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "../x" } }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(create.status, 422);
    assert.equal(JSON.parse(create.body).reason, "Invalid");
  });

  it("answers a body over 3 MiB with 413", async () => {
    const big = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "big" },
      data: { x: "a".repeat(3 * 1024 * 1024 + 10) },
    });
    const r = await h.http("POST", "/api/v1/namespaces/default/configmaps", {
      body: big,
      headers: { "content-type": "application/json" },
    });
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.body).reason, "RequestEntityTooLarge");
  });

  it("isolates namespaces and requires the namespace to exist", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
    const missing = await h.http("POST", "/api/v1/namespaces/other/configmaps", {
      body,
      headers: { "content-type": "application/json" },
    });
    assert.equal(missing.status, 404);
    assert.match(JSON.parse(missing.body).message, /namespaces "other" not found/);
    const created = await h.kubectl(["create", "namespace", "other"]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(
      (
        await h.http("POST", "/api/v1/namespaces/other/configmaps", {
          body,
          headers: { "content-type": "application/json" },
        })
      ).status,
      201,
    );
    assert.equal((await h.http("GET", "/api/v1/namespaces/default/configmaps/cm")).status, 404);
  });

  it("ends a watch from a too-old resourceVersion with a 410 ERROR event", async () => {
    const small = await startHarness({ store: openMemoryStore({ historySize: 2 }) });
    try {
      for (const name of ["a", "b", "c", "d"]) {
        const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });
        await small.http("POST", "/api/v1/namespaces/default/configmaps", {
          body,
          headers: { "content-type": "application/json" },
        });
      }
      const r = await small.http("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1");
      assert.equal(r.status, 200);
      const events = r.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      assert.equal(events.length, 1);
      assert.equal(events[0].type, "ERROR");
      assert.equal(events[0].object.kind, "Status");
      assert.equal(events[0].object.code, 410);
      assert.equal(events[0].object.reason, "Expired");
    } finally {
      await small.close();
    }
  });
});
