import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/types.js";
import { openMemoryStore, ResourceTypes } from "../../store/index.js";
import { ManualClock } from "../clock.js";
import { ReconcileLoop, refOf, type ObjectRef } from "./loop.js";

const T = ResourceTypes.CustomRun;

function setup(reconcile: (loop: ReconcileLoop, ref: ObjectRef) => void | Promise<void>) {
  const clock = new ManualClock();
  const store = openMemoryStore({ now: () => clock.now() });
  const seen: string[] = [];
  const loop: ReconcileLoop = new ReconcileLoop({
    store,
    clock,
    types: [T],
    reconcile: (ref) => {
      seen.push(ref.key);
      return reconcile(loop, ref);
    },
  });
  loop.start();
  const create = (name: string): KubeObject =>
    store.create(T, { apiVersion: "tekton.dev/v1beta1", kind: "CustomRun", metadata: { name }, spec: {} });
  return { clock, store, loop, seen, create };
}

test("an object's own status writes do not trigger a reconcile; other writes do", async () => {
  const { store, loop, seen, create } = setup((l, ref) => {
    l.writeStatus<KubeObject>(ref, (o) => ({ ...(o["status"] as object), seen: true }));
  });
  create("a");
  await loop.idle();
  assert.deepEqual(seen, ["CustomRun/default/a"]);
  const latest = store.get(T, "default", "a")!;
  store.update(T, { ...latest, metadata: { ...latest.metadata, labels: { x: "y" } } });
  await loop.idle();
  assert.deepEqual(seen, ["CustomRun/default/a", "CustomRun/default/a"]);
  assert.deepEqual(store.get(T, "default", "a")?.["status"], { seen: true });
});

test("a status write computed from the latest object is retried over a conflicting write", async () => {
  let interfered = false;
  const { store, loop, create } = setup((l, ref) => {
    l.writeStatus<KubeObject>(ref, (o) => {
      if (!interfered) {
        interfered = true;
        store.update(T, { ...o, status: { by: "someone else" } }, { subresource: "status" });
      }
      return { ...(o["status"] as object), mine: true };
    });
  });
  create("b");
  await loop.idle();
  assert.deepEqual(store.get(T, "default", "b")?.["status"], { by: "someone else", mine: true });
});

test("a decided write that conflicts is dropped and the object reconciled again", async () => {
  let calls = 0;
  const { store, loop, create } = setup((l, ref) => {
    calls++;
    const o = store.get(T, ref.namespace, ref.name)!;
    if (calls === 1) store.update(T, { ...o, status: { by: "someone else" } }, { subresource: "status" });
    assert.equal(l.writeDecided(ref, o, { decided: calls }), calls !== 1);
  });
  create("c");
  await loop.idle();
  assert.deepEqual(store.get(T, "default", "c")?.["status"], { decided: calls });
  assert.ok(calls >= 2);
});

test("requeueAfter reconciles again when the clock reaches the time, and the earlier requeue wins", async () => {
  const { clock, loop, seen, create } = setup((l, ref) => {
    if (seen.length === 1) {
      l.requeueAfter(ref, 1000);
      l.requeueAfter(ref, 5000);
    }
  });
  create("d");
  await loop.idle();
  clock.advance(999);
  await loop.idle();
  assert.equal(seen.length, 1);
  clock.advance(1);
  await loop.idle();
  assert.equal(seen.length, 2);
  clock.advance(10_000);
  await loop.idle();
  assert.equal(seen.length, 2);
});

test("idle waits for the background work the reconciler reports", async () => {
  let finish: () => void = () => undefined;
  const work = new Set<Promise<void>>();
  const clock = new ManualClock();
  const store = openMemoryStore({ now: () => clock.now() });
  const loop = new ReconcileLoop({
    store,
    clock,
    types: [T],
    reconcile: () => {
      const p = new Promise<void>((resolve) => (finish = resolve));
      work.add(p);
      void p.then(() => work.delete(p));
    },
    runningWork: () => work,
  });
  loop.start();
  store.create(T, { apiVersion: "tekton.dev/v1beta1", kind: "CustomRun", metadata: { name: "e" }, spec: {} });
  let idle = false;
  const done = loop.idle().then(() => (idle = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false);
  finish();
  await done;
  assert.equal(idle, true);
  loop.stop();
  loop.enqueue(refOf(T, "default", "e"));
  await loop.idle();
  assert.equal(work.size, 0);
});
