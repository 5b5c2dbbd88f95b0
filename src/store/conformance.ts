/**
 * The store conformance suite: every {@link Store} implementation must pass it. Registers
 * `node:test` tests; call it from an implementation's test file.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { describe, test } from "node:test";
import type { KubeObject } from "../api/types.js";
import { type StoreFactory, taskRun, withStore } from "./conformance-fixtures.js";
import { runWatchConformance } from "./conformance-watch.js";
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  InvalidError,
  NotFoundError,
  TooLargeError,
} from "./errors.js";
import { ResourceTypes } from "./resources.js";
import type { Store, StoreOptions } from "./store.js";

export type { StoreFactory } from "./conformance-fixtures.js";

const TR = ResourceTypes.TaskRun;
const CM = ResourceTypes.ConfigMap;
const NS = ResourceTypes.Namespace;

/** Registers the conformance tests for one implementation. */
export function runStoreConformance(name: string, make: StoreFactory): void {
  const it = (title: string, fn: (s: Store) => void, opts: StoreOptions = {}): void => {
    void test(title, () => withStore(make, opts, fn));
  };

  void describe(`${name} store conformance: objects`, () => {
    it("creates an object with uid, creationTimestamp, generation 1 and a resourceVersion", (s) => {
      const created = s.create(TR, taskRun("a", { namespace: "ns" }));
      assert.match(created.metadata.uid ?? "", /^[0-9a-f-]{36}$/);
      assert.match(created.metadata.creationTimestamp ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(created.metadata.generation, 1);
      assert.match(created.metadata.resourceVersion ?? "", /^[1-9]\d*$/);
      assert.deepEqual(s.get(TR, "ns", "a"), created);
    });

    it("ignores caller-supplied uid, resourceVersion and generation on create", (s) => {
      const input = taskRun("a");
      input.metadata = { ...input.metadata, uid: "fixed", resourceVersion: "999", generation: 7 };
      const created = s.create(TR, input);
      assert.notEqual(created.metadata.uid, "fixed");
      assert.equal(created.metadata.generation, 1);
      assert.equal(created.metadata.resourceVersion, "1");
    });

    it("defaults the namespace of a namespaced object to default and drops it for cluster-scoped", (s) => {
      assert.equal(s.create(TR, taskRun("a")).metadata.namespace, "default");
      const ns = s.create(NS, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "x", namespace: "y" },
      });
      assert.equal(ns.metadata.namespace, undefined);
      assert.ok(s.get(NS, undefined, "x"));
    });

    it("fills an empty apiVersion and kind from the resource type", (s) => {
      const created = s.create(CM, { apiVersion: "", kind: "", metadata: { name: "c" }, data: { k: "v" } });
      assert.equal(created.apiVersion, "v1");
      assert.equal(created.kind, "ConfigMap");
    });

    it("generates a name from generateName with 5 random [a-z0-9] characters", (s) => {
      const input: KubeObject = {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: { generateName: "run-" },
      };
      const a = s.create(TR, input);
      const b = s.create(TR, input);
      assert.match(a.metadata.name ?? "", /^run-[a-z0-9]{5}$/);
      assert.notEqual(a.metadata.name, b.metadata.name);
      assert.equal(a.metadata.generateName, "run-");
    });

    it("rejects a missing or invalid name with InvalidError (422)", (s) => {
      const noName: KubeObject = { apiVersion: "tekton.dev/v1", kind: "TaskRun", metadata: {} };
      assert.throws(
        () => s.create(TR, noName),
        (e: unknown) => e instanceof InvalidError && e.code === 422,
      );
      assert.throws(
        () => s.create(TR, taskRun("Bad_Name")),
        (e: unknown) =>
          e instanceof InvalidError &&
          e.reason === "Invalid" &&
          e.message.startsWith('TaskRun.tekton.dev "Bad_Name" is invalid: metadata.name: Invalid value'),
      );
    });

    it("refuses an object over etcd's 1.5 MiB with TooLargeError (413) and stores nothing", (s) => {
      const data = { x: "y".repeat(1536 * 1024) };
      assert.throws(
        () =>
          s.create(CM, {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "huge" },
            data,
          } as KubeObject),
        (e: unknown) =>
          e instanceof TooLargeError && e.code === 413 && e.message === "etcdserver: request is too large",
      );
      assert.equal(s.get(CM, "default", "huge"), undefined);
      s.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "small" } } as KubeObject);
      const cur = s.get<KubeObject>(CM, "default", "small")!;
      assert.throws(() => s.update(CM, { ...cur, data } as KubeObject), TooLargeError);
      assert.equal((s.get<KubeObject>(CM, "default", "small") as { data?: unknown }).data, undefined);
    });

    it("rejects a duplicate create with AlreadyExistsError (409)", (s) => {
      s.create(TR, taskRun("a"));
      assert.throws(
        () => s.create(TR, taskRun("a")),
        (e: unknown) =>
          e instanceof AlreadyExistsError &&
          e.code === 409 &&
          e.reason === "AlreadyExists" &&
          e.message === 'taskruns.tekton.dev "a" already exists',
      );
    });

    it("keeps namespaces and resource types isolated", (s) => {
      s.create(TR, taskRun("a", { namespace: "one" }));
      s.create(TR, taskRun("a", { namespace: "two", spec: { x: 2 } }));
      s.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "one" } });
      assert.deepEqual(s.get(TR, "two", "a")?.["spec"], { x: 2 });
      assert.equal(s.get(TR, "three", "a"), undefined);
      assert.equal(s.list(TR, { namespace: "one" }).items.length, 1);
      assert.equal(s.list(TR).items.length, 2);
      assert.equal(s.list(CM).items.length, 1);
    });

    it("returns copies that callers may mutate", (s) => {
      const created = s.create(TR, taskRun("a", { labels: { x: "1" } }));
      created.metadata.labels = { x: "changed" };
      const got = s.get(TR, "default", "a");
      assert.deepEqual(got?.metadata.labels, { x: "1" });
      if (got) got.metadata.labels = { x: "again" };
      assert.deepEqual(s.list(TR).items[0]?.metadata.labels, { x: "1" });
    });

    it("takes resourceVersions from one monotonic counter across types", (s) => {
      const rvs = [
        s.create(TR, taskRun("a")).metadata.resourceVersion,
        s.create<KubeObject>(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }).metadata
          .resourceVersion,
        s.create(TR, taskRun("b")).metadata.resourceVersion,
      ].map(Number);
      assert.deepEqual(rvs, [1, 2, 3]);
      assert.equal(s.currentResourceVersion(), "3");
      assert.equal(s.list(CM).resourceVersion, "3");
    });
  });

  void describe(`${name} store conformance: update and delete`, () => {
    it("bumps generation on a spec change but not on a metadata-only change", (s) => {
      const a = s.create(TR, taskRun("a"));
      const labelled = s.update(TR, { ...a, metadata: { ...a.metadata, labels: { k: "v" } } });
      assert.equal(labelled.metadata.generation, 1);
      assert.ok(Number(labelled.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
      const respec = s.update(TR, { ...labelled, spec: { taskRef: { name: "other" } } });
      assert.equal(respec.metadata.generation, 2);
      assert.equal(respec.metadata.uid, a.metadata.uid);
      assert.equal(respec.metadata.creationTimestamp, a.metadata.creationTimestamp);
    });

    it("replaces only status through the status subresource and keeps status on main updates", (s) => {
      const a = s.create(TR, taskRun("a"));
      const st = s.update(
        TR,
        { ...a, spec: { ignored: true }, status: { podName: "p" } },
        { subresource: "status" },
      );
      assert.deepEqual(st["status"], { podName: "p" });
      assert.deepEqual(st["spec"], a["spec"]);
      assert.equal(st.metadata.generation, 1);
      const main = s.update(TR, { ...st, status: { podName: "lost" }, spec: { taskRef: { name: "n" } } });
      assert.deepEqual(main["status"], { podName: "p" });
      assert.equal(main.metadata.generation, 2);
    });

    it("rejects an update with a stale resourceVersion with ConflictError (409)", (s) => {
      const a = s.create(TR, taskRun("a"));
      s.update(TR, { ...a, metadata: { ...a.metadata, labels: { n: "1" } } });
      assert.throws(
        () => s.update(TR, { ...a, metadata: { ...a.metadata, labels: { n: "2" } } }),
        (e: unknown) =>
          e instanceof ConflictError &&
          e.code === 409 &&
          e.reason === "Conflict" &&
          e.message ===
            'Operation cannot be fulfilled on taskruns.tekton.dev "a": the object has been modified; ' +
              "please apply your changes to the latest version and try again",
      );
    });

    it("applies an update without resourceVersion unconditionally", (s) => {
      const a = s.create(TR, taskRun("a"));
      s.update(TR, { ...a, metadata: { ...a.metadata, labels: { n: "1" } } });
      const { resourceVersion: _rv, ...meta } = a.metadata;
      const b = s.update(TR, { ...a, metadata: { ...meta, labels: { n: "2" } } });
      assert.deepEqual(b.metadata.labels, { n: "2" });
    });

    it("treats an update that changes nothing as a no-op without a new resourceVersion", (s) => {
      const a = s.create(TR, taskRun("a"));
      const same = s.update(TR, a);
      assert.equal(same.metadata.resourceVersion, a.metadata.resourceVersion);
      assert.equal(s.currentResourceVersion(), a.metadata.resourceVersion);
    });

    it("rejects updating and deleting a missing object with NotFoundError (404)", (s) => {
      const isNotFound = (e: unknown): boolean =>
        e instanceof NotFoundError && e.code === 404 && e.message === 'taskruns.tekton.dev "nope" not found';
      assert.throws(() => s.update(TR, taskRun("nope")), isNotFound);
      assert.throws(() => s.delete(TR, "default", "nope"), isNotFound);
    });

    it("deletes at once despite finalizers and returns the object with the deletion's resourceVersion", (s) => {
      const input = taskRun("a");
      input.metadata.finalizers = ["keep"];
      const a = s.create(TR, input);
      const deleted = s.delete(TR, "default", "a");
      assert.equal(deleted.metadata.uid, a.metadata.uid);
      assert.equal(Number(deleted.metadata.resourceVersion), Number(a.metadata.resourceVersion) + 1);
      assert.equal(s.get(TR, "default", "a"), undefined);
      assert.equal(s.list(TR).items.length, 0);
      s.create(TR, taskRun("a"));
    });

    it("rejects a delete whose resourceVersion precondition is stale", (s) => {
      const a = s.create(TR, taskRun("a"));
      s.update(TR, { ...a, metadata: { ...a.metadata, labels: { n: "1" } } });
      assert.throws(
        () => s.delete(TR, "default", "a", { resourceVersion: a.metadata.resourceVersion ?? "" }),
        ConflictError,
      );
      assert.ok(s.get(TR, "default", "a"));
    });
  });

  void describe(`${name} store conformance: list`, () => {
    const seed = (s: Store): void => {
      s.create(TR, taskRun("a", { namespace: "ns1", labels: { app: "x", tier: "web" } }));
      s.create(TR, taskRun("b", { namespace: "ns1", labels: { app: "y" } }));
      s.create(TR, taskRun("c", { namespace: "ns2", labels: { app: "x", env: "prod" } }));
      s.create(TR, taskRun("d", { namespace: "ns2" }));
    };
    const names = (s: Store, labelSelector?: string, fieldSelector?: string): string[] =>
      s
        .list(TR, {
          ...(labelSelector ? { labelSelector } : {}),
          ...(fieldSelector ? { fieldSelector } : {}),
        })
        .items.map((o) => o.metadata.name ?? "");

    it("filters by label selectors: =, ==, !=, exists, !exists, in, notin, and comma as AND", (s) => {
      seed(s);
      assert.deepEqual(names(s, "app=x"), ["a", "c"]);
      assert.deepEqual(names(s, "app==y"), ["b"]);
      assert.deepEqual(names(s, "app!=x"), ["b", "d"]);
      assert.deepEqual(names(s, "env"), ["c"]);
      assert.deepEqual(names(s, "!app"), ["d"]);
      assert.deepEqual(names(s, "app in (y, x)"), ["a", "b", "c"]);
      assert.deepEqual(names(s, "app notin (x)"), ["b", "d"]);
      assert.deepEqual(names(s, "app=x,tier=web"), ["a"]);
      assert.deepEqual(names(s, "app in (x),!env"), ["a"]);
    });

    it("filters by field selectors on metadata.name and metadata.namespace", (s) => {
      seed(s);
      assert.deepEqual(names(s, undefined, "metadata.name=b"), ["b"]);
      assert.deepEqual(names(s, undefined, "metadata.namespace==ns2"), ["c", "d"]);
      assert.deepEqual(names(s, undefined, "metadata.namespace=ns2,metadata.name!=c"), ["d"]);
      assert.deepEqual(names(s, "app=x", "metadata.namespace!=ns1"), ["c"]);
    });

    it("rejects malformed selectors and unsupported fields with BadRequestError (400)", (s) => {
      for (const bad of ["app in x", "=x", "a b", "app in ()", "bad key!/x=1", "app=@"]) {
        assert.throws(() => s.list(TR, { labelSelector: bad }), BadRequestError, bad);
      }
      assert.throws(() => s.list(TR, { fieldSelector: "spec.x=1" }), /field label not supported: spec.x/);
      assert.throws(() => s.list(TR, { fieldSelector: "metadata.name" }), BadRequestError);
    });

    it("pages with limit and continue in namespace/name order", (s) => {
      for (const ns of ["b", "a"])
        for (const n of ["3", "1", "2"]) s.create(TR, taskRun(`r${n}`, { namespace: ns }));
      const seen: string[] = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const page = s.list(TR, { limit: 4, ...(cont ? { continue: cont } : {}) });
        seen.push(...page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
        assert.equal(page.resourceVersion, "6");
        cont = page.continue;
        pages++;
      } while (cont);
      assert.equal(pages, 2);
      assert.deepEqual(seen, ["a/r1", "a/r2", "a/r3", "b/r1", "b/r2", "b/r3"]);
      const ns = s.list(TR, { namespace: "b", limit: 2 });
      assert.deepEqual(
        ns.items.map((o) => o.metadata.name),
        ["r1", "r2"],
      );
      const rest = s.list(TR, { namespace: "b", limit: 2, continue: ns.continue ?? "" });
      assert.deepEqual(
        rest.items.map((o) => o.metadata.name),
        ["r3"],
      );
      assert.equal(rest.continue, undefined);
    });

    it("pages with a label selector so that every page is full until the last", (s) => {
      for (let i = 0; i < 10; i++) s.create(TR, taskRun(`r${i}`, { labels: { even: String(i % 2 === 0) } }));
      const first = s.list(TR, { labelSelector: "even=true", limit: 3 });
      assert.deepEqual(
        first.items.map((o) => o.metadata.name),
        ["r0", "r2", "r4"],
      );
      const second = s.list(TR, { labelSelector: "even=true", limit: 3, continue: first.continue ?? "" });
      assert.deepEqual(
        second.items.map((o) => o.metadata.name),
        ["r6", "r8"],
      );
      assert.equal(second.continue, undefined);
    });

    it("streams a whole list in pieces as it was when taken, whatever is written meanwhile", (s) => {
      for (let i = 0; i < 7; i++) s.create(TR, taskRun(`r${i}`, { labels: { odd: String(i % 2 === 1) } }));
      s.create(TR, taskRun("elsewhere", { namespace: "other", labels: { odd: "false" } }));
      const list = s.streamEncoded(TR, { namespace: "default", labelSelector: "odd=false" });
      assert.equal(list.resourceVersion, "8");
      const first = list.next(2);
      assert.equal(first.length, 2);
      s.delete(TR, "default", "r4");
      s.create(TR, taskRun("r8", { labels: { odd: "false" } }));
      const r6 = s.get(TR, "default", "r6");
      s.update(TR, { ...r6!, status: { podName: "changed" } }, { subresource: "status" });
      const rest = [...list.next(2), ...list.next(2)];
      assert.deepEqual(list.next(2), []);
      const items = [...first, ...rest].map((j) => JSON.parse(j) as KubeObject);
      assert.deepEqual(
        items.map((o) => o.metadata.name),
        ["r0", "r2", "r4", "r6"],
      );
      assert.equal(items[3]?.["status"], undefined);
    });

    it("gives nothing more from a streamed list closed before its end", (s) => {
      for (let i = 0; i < 3; i++) s.create(TR, taskRun(`r${i}`));
      const list = s.streamEncoded(TR, {});
      assert.equal(list.next(1).length, 1);
      list.close();
      list.close();
      assert.deepEqual(list.next(5), []);
      assert.equal(s.streamEncoded(TR, {}).next(5).length, 3);
    });

    it("rejects a malformed continue token with BadRequestError", (s) => {
      assert.throws(() => s.list(TR, { continue: "garbage" }), BadRequestError);
    });
  });

  runWatchConformance(name, make);
}
