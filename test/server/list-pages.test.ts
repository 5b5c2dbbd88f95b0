/**
 * Large lists through `tektite serve`: kubectl's chunked lists (limit/continue) see every object
 * once, a client that accepts gzip gets the list compressed, a version other than the storage
 * version is still rendered at the requested apiVersion, and a whole list is sent as it was when
 * asked for while it streams out.
 */
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResourceTypes, openSqliteStore } from "../../src/store/index.js";
import { startHarness, type Harness } from "./harness.js";

const COUNT = 1200;
const PATH = "/apis/tekton.dev/v1/namespaces/default/taskruns";

interface ListBody {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: Array<{ apiVersion: string; kind: string; metadata: { name: string } }>;
}

function get(
  h: Harness,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, h.server.url),
      {
        headers: { authorization: `Bearer ${h.server.token}`, ...headers },
        ca: h.server.certificate,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const names = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `run-${String(i).padStart(5, "0")}`);

describe("large TaskRun lists", () => {
  let h: Harness;
  before(async () => {
    // The store `tektite serve` uses: whole lists stream from its read snapshots.
    const dataDir = mkdtempSync(join(tmpdir(), "tektite-lists-"));
    h = await startHarness({ dataDir, store: openSqliteStore(dataDir) });
    for (const name of names(COUNT)) {
      h.store.create(ResourceTypes.TaskRun, {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: { name, namespace: "default", labels: { half: String(Number(name.slice(4)) % 2) } },
        spec: { taskRef: { name: "hello" } },
      });
    }
  });
  after(async () => {
    await h.close();
  });

  it("kubectl get -o json reads every TaskRun through chunks of 500", async () => {
    const r = await h.kubectl(["get", "taskruns", "-o", "json", "--chunk-size=500"]);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as ListBody;
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      names(COUNT),
    );
    assert.ok(list.items.every((i) => i.apiVersion === "tekton.dev/v1" && i.kind === "TaskRun"));
    // One unpaged list: streamed, and gzipped since kubectl accepts it.
    const whole = await h.kubectl(["get", "taskruns", "-o", "json", "--chunk-size=0"]);
    assert.equal(whole.code, 0, whole.stderr);
    assert.deepEqual(
      (JSON.parse(whole.stdout) as ListBody).items.map((i) => i.metadata.name),
      names(COUNT),
    );
    const table = await h.kubectl(["get", "taskruns", "--no-headers", "-l", "half=1"]);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.trim().split("\n").length, COUNT / 2);
  });

  it("pages with limit and continue, each object exactly once", async () => {
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const r = await get(h, `${PATH}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`);
      assert.equal(r.status, 200, r.body.toString());
      const page = JSON.parse(r.body.toString()) as ListBody;
      assert.equal(page.kind, "TaskRunList");
      seen.push(...page.items.map((i) => i.metadata.name));
      cont = page.metadata.continue;
      pages++;
    } while (cont !== undefined && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, names(COUNT));
  });

  it("compresses a large list for a client that accepts gzip, and only then", async () => {
    const zipped = await get(h, PATH, { "accept-encoding": "gzip" });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers["content-encoding"], "gzip");
    const list = JSON.parse(gunzipSync(zipped.body).toString()) as ListBody;
    assert.equal(list.items.length, COUNT);
    const plain = await get(h, PATH);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.deepEqual(JSON.parse(plain.body.toString()), list);
    const small = await get(h, `${PATH}?limit=1`, { "accept-encoding": "gzip" });
    assert.equal(small.headers["content-encoding"], undefined);
    assert.equal((JSON.parse(small.body.toString()) as ListBody).items.length, 1);
  });

  it("sends a whole list as it was when asked for, while writes go on and a reader goes away", async () => {
    const big = "x".repeat(8192);
    const bigNames = names(1500);
    for (const name of bigNames) {
      h.store.create(ResourceTypes.TaskRun, {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: { name, namespace: "big", annotations: { big } },
        spec: { taskRef: { name: "hello" } },
      });
    }
    const before = h.store.currentResourceVersion();
    const path = "/apis/tekton.dev/v1/namespaces/big/taskruns";
    // Read a little, write while the rest is still to come, then read the rest.
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = request(
        new URL(path, h.server.url),
        { headers: { authorization: `Bearer ${h.server.token}` }, ca: h.server.certificate, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.once("data", (d: Buffer) => {
            chunks.push(d);
            res.pause();
            h.store.delete(ResourceTypes.TaskRun, "big", bigNames[1499]!);
            h.store.create(ResourceTypes.TaskRun, {
              apiVersion: "tekton.dev/v1",
              kind: "TaskRun",
              metadata: { name: "run-99999", namespace: "big" },
              spec: { taskRef: { name: "hello" } },
            });
            res.on("data", (more: Buffer) => chunks.push(more));
            res.resume();
          });
          res.on("end", () => resolve(Buffer.concat(chunks)));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
    const list = JSON.parse(body.toString()) as ListBody;
    assert.equal(list.metadata.resourceVersion, before);
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      bigNames,
    );
    // A reader that goes away after the first bytes: the server goes on answering.
    await new Promise<void>((resolve, reject) => {
      const req = request(
        new URL(path, h.server.url),
        { headers: { authorization: `Bearer ${h.server.token}` }, ca: h.server.certificate, agent: false },
        (res) => {
          res.once("data", () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on("error", () => undefined);
      req.once("close", () => resolve());
      req.end();
      setTimeout(() => reject(new Error("no answer")), 30_000).unref();
    });
    const again = await get(h, path);
    assert.equal(again.status, 200);
    assert.equal((JSON.parse(again.body.toString()) as ListBody).items.length, 1500);
  });

  it("renders the list at the requested version when it is not the storage version", async () => {
    const r = await get(h, "/apis/tekton.dev/v1beta1/namespaces/default/taskruns?limit=2");
    assert.equal(r.status, 200, r.body.toString());
    const list = JSON.parse(r.body.toString()) as ListBody;
    assert.equal(list.apiVersion, "tekton.dev/v1beta1");
    assert.deepEqual(
      list.items.map((i) => i.apiVersion),
      ["tekton.dev/v1beta1", "tekton.dev/v1beta1"],
    );
  });
});
