import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { after, describe, test } from "node:test";
import type { KubeObject } from "../api/types.js";
import { runStoreConformance } from "./conformance.js";
import { taskRun } from "./conformance-fixtures.js";
import { GoneError } from "./errors.js";
import { ResourceTypes } from "./resources.js";
import { openSqliteStore } from "./sqlite.js";
import type { WatchEvent } from "./store.js";

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tektite-store-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

runStoreConformance("sqlite", (opts) => openSqliteStore(freshDir(), opts));

const TR = ResourceTypes.TaskRun;

void describe("sqlite store persistence", () => {
  void test("creates <dataDir>/tektite.db in WAL mode", () => {
    const dir = join(freshDir(), "nested", "data");
    const s = openSqliteStore(dir);
    s.create(TR, taskRun("a"));
    s.close();
    assert.ok(existsSync(join(dir, "tektite.db")));
    const db = new Database(join(dir, "tektite.db"), { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    } finally {
      db.close();
    }
  });

  void test("keeps a status transition committed just before the process is killed with SIGKILL", () => {
    const dir = freshDir();
    const storeModule = new URL("./sqlite.js", import.meta.url).href;
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
      const TR = { group: "tekton.dev", version: "v1", resource: "taskruns", kind: "TaskRun", namespaced: true, statusSubresource: true };
      const s = openSqliteStore(${JSON.stringify(dir)});
      const a = s.create(TR, { apiVersion: "tekton.dev/v1", kind: "TaskRun", metadata: { name: "a" }, spec: {} });
      s.update(TR, { ...a, status: { conditions: [{ type: "Succeeded", status: "True" }] } }, { subresource: "status" });
      process.kill(process.pid, "SIGKILL");
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(child.signal, "SIGKILL", child.stderr);
    const s = openSqliteStore(dir);
    try {
      assert.deepEqual(s.get(TR, "default", "a")?.["status"], {
        conditions: [{ type: "Succeeded", status: "True" }],
      });
      assert.equal(s.currentResourceVersion(), "2");
    } finally {
      s.close();
    }
  });

  void test("keeps every object across a reopen and continues the resourceVersion sequence", () => {
    const dir = freshDir();
    const first = openSqliteStore(dir);
    const a = first.create(TR, taskRun("a", { labels: { app: "x" } }));
    const b = first.create(TR, taskRun("b", { namespace: "other" }));
    const done = first.update(
      TR,
      { ...a, status: { conditions: [{ type: "Succeeded", status: "True" }] } },
      {
        subresource: "status",
      },
    );
    first.delete(TR, "other", "b");
    first.close();

    const second = openSqliteStore(dir);
    try {
      assert.equal(second.currentResourceVersion(), "4");
      assert.deepEqual(second.get(TR, "default", "a"), done);
      assert.equal(second.get(TR, "other", "b"), undefined);
      assert.deepEqual(second.list(TR, { labelSelector: "app=x" }).items, [done]);
      const c = second.create(TR, taskRun("c"));
      assert.equal(c.metadata.resourceVersion, "5");
      assert.notEqual(b.metadata.uid, c.metadata.uid);
    } finally {
      second.close();
    }
  });

  void test("replays watch history recorded before a reopen", () => {
    const dir = freshDir();
    const first = openSqliteStore(dir);
    first.create(TR, taskRun("a"));
    first.create(TR, taskRun("b"));
    first.delete(TR, "default", "a");
    first.close();

    const second = openSqliteStore(dir);
    try {
      const events: WatchEvent[] = [];
      second.watch(TR, { resourceVersion: "1" }, (e) => events.push(e));
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
        ["ADDED b@2", "DELETED a@3"],
      );
    } finally {
      second.close();
    }
  });

  void test("keeps the compacted history bound across a reopen", () => {
    const dir = freshDir();
    const first = openSqliteStore(dir, { historySize: 2 });
    for (let i = 0; i < 5; i++) first.create(TR, taskRun(`r${i}`));
    first.close();
    const second = openSqliteStore(dir, { historySize: 2 });
    try {
      assert.throws(() => second.watch(TR, { resourceVersion: "1" }, () => undefined), GoneError);
    } finally {
      second.close();
    }
  });

  void test("lists 10,000 stored TaskRuns whole, by namespace and label, and in pages", () => {
    const s = openSqliteStore(freshDir());
    try {
      const status = {
        conditions: [{ type: "Succeeded", status: "True", reason: "Succeeded" }],
        podName: "p",
      };
      for (let i = 0; i < 10_000; i++) {
        const obj: KubeObject = taskRun(`run-${String(i).padStart(5, "0")}`, {
          namespace: i % 2 === 0 ? "even" : "odd",
          labels: { "tekton.dev/task": `task-${i % 10}`, app: "bench" },
        });
        obj["status"] = status;
        s.create(TR, obj);
      }
      const all = s.list(TR);
      const bySelector = s.list(TR, { namespace: "even", labelSelector: "tekton.dev/task=task-2" });
      const page = s.list(TR, { limit: 500 });
      assert.equal(all.items.length, 10_000);
      assert.equal(bySelector.items.length, 1_000);
      assert.equal(page.items.length, 500);
      assert.ok(page.continue, "a page of a longer list carries a continue token");
    } finally {
      s.close();
    }
  });

  void test("a list being streamed when the store closes fails on its next read instead of ending short", () => {
    const s = openSqliteStore(freshDir());
    for (let i = 0; i < 5; i++) s.create(TR, taskRun(`r${i}`));
    const list = s.streamEncoded(TR, {});
    assert.equal(list.next(2).length, 2);
    s.close();
    assert.throws(() => list.next(2), /store is closed/);
  });

  void test("streamed lists read from their own snapshots, several at once", () => {
    const s = openSqliteStore(freshDir());
    try {
      for (let i = 0; i < 4; i++) s.create(TR, taskRun(`r${i}`));
      const lists = [s.streamEncoded(TR, {})];
      s.delete(TR, "default", "r0");
      lists.push(s.streamEncoded(TR, {}));
      s.delete(TR, "default", "r1");
      lists.push(s.streamEncoded(TR, {}));
      const names = lists.map((l) => l.next(10).map((j) => (JSON.parse(j) as KubeObject).metadata.name));
      assert.deepEqual(names, [
        ["r0", "r1", "r2", "r3"],
        ["r1", "r2", "r3"],
        ["r2", "r3"],
      ]);
    } finally {
      s.close();
    }
  });

  void test("a new data directory uses 16 KiB pages, so a stored TaskRun fits in its page", () => {
    const dir = freshDir();
    openSqliteStore(dir).close();
    const db = new Database(join(dir, "tektite.db"), { readonly: true });
    try {
      assert.equal(db.pragma("page_size", { simple: true }), 16384);
    } finally {
      db.close();
    }
  });
});
