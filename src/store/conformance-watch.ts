/**
 * Watch and history part of the store conformance suite (see `conformance.ts`).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { describe, test } from "node:test";
import type { KubeObject } from "../api/types.js";
import { type StoreFactory, taskRun, withStore } from "./conformance-fixtures.js";
import { GoneError } from "./errors.js";
import { ResourceTypes } from "./resources.js";
import type { Store, StoreOptions, WatchEvent } from "./store.js";

const TR = ResourceTypes.TaskRun;
const CM = ResourceTypes.ConfigMap;

/** `TYPE name@rv` per event, for compact assertions. */
function summary(events: WatchEvent[]): string[] {
  return events.map((e) =>
    e.type === "BOOKMARK"
      ? `BOOKMARK @${e.object.metadata.resourceVersion}`
      : `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`,
  );
}

function collect(s: Store, opts: Parameters<Store["watch"]>[1]): { events: WatchEvent[]; stop: () => void } {
  const events: WatchEvent[] = [];
  const stop = s.watch(TR, opts, (e) => events.push(e));
  return { events, stop };
}

/** Registers the watch conformance tests. */
export function runWatchConformance(name: string, make: StoreFactory): void {
  const it = (title: string, fn: (s: Store) => void, opts: StoreOptions = {}): void => {
    void test(title, () => withStore(make, opts, fn));
  };

  void describe(`${name} store conformance: watch`, () => {
    it("sends synthetic ADDED events for current objects when no resourceVersion is given", (s) => {
      s.create(TR, taskRun("a"));
      s.create(TR, taskRun("b", { namespace: "other" }));
      s.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
      assert.deepEqual(summary(collect(s, {}).events), ["ADDED a@1", "ADDED b@2"]);
      assert.deepEqual(summary(collect(s, { namespace: "other" }).events), ["ADDED b@2"]);
    });

    it("delivers live ADDED, MODIFIED and DELETED events in commit order", (s) => {
      const { events, stop } = collect(s, { resourceVersion: s.currentResourceVersion() });
      const a = s.create(TR, taskRun("a"));
      s.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
      s.update(TR, { ...a, status: { podName: "p" } }, { subresource: "status" });
      s.delete(TR, "default", "a");
      stop();
      s.create(TR, taskRun("after-stop"));
      assert.deepEqual(summary(events), ["ADDED a@1", "MODIFIED a@3", "DELETED a@4"]);
      assert.deepEqual(events[1]?.object["status"], { podName: "p" });
    });

    it("replays every event after the given resourceVersion, then continues live", (s) => {
      const a = s.create(TR, taskRun("a"));
      const rv = s.currentResourceVersion();
      s.update(TR, { ...a, spec: { changed: true } });
      s.create(TR, taskRun("b"));
      s.delete(TR, "default", "a");
      const { events } = collect(s, { resourceVersion: rv });
      s.create(TR, taskRun("c"));
      assert.deepEqual(summary(events), ["MODIFIED a@2", "ADDED b@3", "DELETED a@4", "ADDED c@5"]);
    });

    it("turns selector transitions into ADDED and DELETED, live and on replay", (s) => {
      const { events } = collect(s, { resourceVersion: "1", labelSelector: "watch=yes" });
      s.create(TR, taskRun("pad"));
      const a = s.create(TR, taskRun("a"));
      const on = s.update(TR, { ...a, metadata: { ...a.metadata, labels: { watch: "yes" } } });
      const still = s.update(TR, { ...on, spec: { more: 1 } });
      s.update(TR, { ...still, metadata: { ...still.metadata, labels: { watch: "no" } } });
      const expected = ["ADDED a@3", "MODIFIED a@4", "DELETED a@5"];
      assert.deepEqual(summary(events), expected);
      assert.deepEqual(
        summary(collect(s, { resourceVersion: "1", labelSelector: "watch=yes" }).events),
        expected,
      );
    });

    it("filters watches by field selector", (s) => {
      const { events } = collect(s, { resourceVersion: "0", fieldSelector: "metadata.name=b" });
      s.create(TR, taskRun("a"));
      s.create(TR, taskRun("b"));
      assert.deepEqual(summary(events), ["ADDED b@2"]);
    });

    it("sends a BOOKMARK after the initial events and on emitBookmarks, only to watches that asked", (s) => {
      s.create(TR, taskRun("a"));
      const withMarks = collect(s, { bookmarks: true });
      const without = collect(s, {});
      s.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
      s.emitBookmarks();
      assert.deepEqual(summary(withMarks.events), ["ADDED a@1", "BOOKMARK @1", "BOOKMARK @2"]);
      assert.deepEqual(summary(without.events), ["ADDED a@1"]);
      const mark = withMarks.events[2]?.object;
      assert.deepEqual(mark, {
        kind: "TaskRun",
        apiVersion: "tekton.dev/v1",
        metadata: { resourceVersion: "2" },
      });
    });

    it(
      "fails a watch from a resourceVersion older than the retained history with GoneError (410)",
      (s) => {
        for (let i = 0; i < 6; i++) s.create(TR, taskRun(`r${i}`));
        assert.throws(
          () => s.watch(TR, { resourceVersion: "1" }, () => undefined),
          (e: unknown) => e instanceof GoneError && e.code === 410 && e.reason === "Expired",
        );
        const { events } = collect(s, { resourceVersion: "3" });
        assert.deepEqual(summary(events), ["ADDED r3@4", "ADDED r4@5", "ADDED r5@6"]);
      },
      { historySize: 3 },
    );

    it(
      "bounds the retained history by bytes: label patches of a large object keep only the latest events",
      (s) => {
        const big = taskRun("big", {
          spec: { taskRef: { name: "t" }, params: [{ name: "p", value: "x".repeat(40_000) }] },
        });
        s.create(TR, big);
        for (let i = 0; i < 20; i++) {
          const cur = s.get<KubeObject>(TR, "default", "big")!;
          s.update(TR, { ...cur, metadata: { ...cur.metadata, labels: { n: String(i) } } });
        }
        // Each event holds the object and its previous version (~80 kB); 200 kB keeps the last two.
        assert.throws(() => s.watch(TR, { resourceVersion: "15" }, () => undefined), GoneError);
        const { events } = collect(s, { resourceVersion: "19" });
        assert.deepEqual(summary(events), ["MODIFIED big@20", "MODIFIED big@21"]);
      },
      { historyBytes: 200_000 },
    );

    it(
      "fails a continue token older than the retained history with GoneError (410)",
      (s) => {
        for (let i = 0; i < 3; i++) s.create(TR, taskRun(`r${i}`));
        const page = s.list(TR, { limit: 1 });
        for (let i = 3; i < 8; i++) s.create(TR, taskRun(`r${i}`));
        assert.throws(() => s.list(TR, { limit: 1, continue: page.continue ?? "" }), GoneError);
      },
      { historySize: 3 },
    );

    it("delivers events in commit order to every watcher even when a listener writes", (s) => {
      const first: string[] = [];
      const second: string[] = [];
      s.watch(TR, { resourceVersion: "0" }, (e: WatchEvent<KubeObject>) => {
        first.push(`${e.type} ${e.object.metadata.name}`);
        if (e.type === "ADDED" && e.object.metadata.name === "a") s.create(TR, taskRun("from-listener"));
      });
      s.watch(TR, { resourceVersion: "0" }, (e) => second.push(`${e.type} ${e.object.metadata.name}`));
      s.create(TR, taskRun("a"));
      assert.deepEqual(first, ["ADDED a", "ADDED from-listener"]);
      assert.deepEqual(second, first);
    });

    it("gives each listener its own copy of the event object", (s) => {
      const seen: KubeObject[] = [];
      s.watch(TR, {}, (e) => {
        e.object.metadata.name = "mutated";
      });
      s.watch(TR, {}, (e) => seen.push(e.object));
      s.create(TR, taskRun("a"));
      assert.equal(seen[0]?.metadata.name, "a");
      assert.equal(s.get(TR, "default", "a")?.metadata.name, "a");
    });

    it("keeps what a write stored and delivered when the caller later mutates its input or the result", (s) => {
      const a = s.create(TR, taskRun("a", { labels: { k: "v" } }));
      const seen: KubeObject[] = [];
      s.watch(TR, { resourceVersion: a.metadata.resourceVersion }, (e) => seen.push(e.object));
      const status = { podName: "p", steps: [{ name: "one" }] };
      const written = s.update(TR, { ...a, status }, { subresource: "status" });
      status.podName = "changed";
      status.steps[0]!.name = "changed";
      (written["status"] as { podName: string }).podName = "changed too";
      written.metadata.labels = { k: "changed" };
      const expected = { podName: "p", steps: [{ name: "one" }] };
      assert.deepEqual(s.get(TR, "default", "a")?.["status"], expected);
      assert.deepEqual(s.get(TR, "default", "a")?.metadata.labels, { k: "v" });
      assert.deepEqual(seen[0]?.["status"], expected);
      assert.equal(s.list(TR, { labelSelector: "k=v" }).items.length, 1);
      const spec = { taskRef: { name: "u" } };
      s.update(TR, { ...written, metadata: { ...written.metadata, labels: { k: "v" } }, spec, status: {} });
      spec.taskRef.name = "changed";
      assert.deepEqual(s.get(TR, "default", "a")?.["spec"], { taskRef: { name: "u" } });
      assert.deepEqual(seen[1]?.["spec"], { taskRef: { name: "u" } });
    });

    void test("unsubscribes a throwing listener and reports its error without failing the write", () => {
      const errors: unknown[] = [];
      withStore(make, { onListenerError: (e) => errors.push(e) }, (s) => {
        let calls = 0;
        s.watch(TR, {}, () => {
          calls++;
          throw new Error("boom");
        });
        s.create(TR, taskRun("a"));
        s.create(TR, taskRun("b"));
        assert.equal(calls, 1);
        assert.equal(errors.length, 1);
        assert.ok(s.get(TR, "default", "b"));
      });
    });

    void test("stops every watch on close", () => {
      const s = make({});
      const { events } = collect(s, {});
      s.close();
      assert.throws(() => s.create(TR, taskRun("a")), /closed/);
      assert.equal(events.length, 0);
    });
  });
}
