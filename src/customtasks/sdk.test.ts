/** The SDK: definitions, typed params, the logger, the low-level reconciler and restarts. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import type { CustomRun, CustomRunStatus } from "../api/types.js";
import { ManualClock } from "../engine/clock.js";
import { CustomRunDispatcher } from "../engine/customrun/dispatcher.js";
import { customRun, startHarness, type Harness } from "../engine/customrun/harness.js";
import { CustomRunReconciler } from "../engine/customrun/reconciler.js";
import { customRunLogPath } from "../engine/customrun/run-log.js";
import { openMemoryStore, ResourceTypes } from "../store/index.js";
import { DuplicateControllerError } from "./errors.js";
import {
  defineCustomReconciler,
  defineCustomTask,
  isCustomTaskController,
  type ReconcileDecision,
} from "./sdk.js";

const EX = { apiVersion: "example.dev/v1alpha1", kind: "Example" };
const cond = (s: CustomRunStatus | undefined) => {
  const c = s?.conditions?.find((x) => x.type === "Succeeded");
  return c ? [c.status, c.reason, c.message] : [];
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("defineCustomTask", () => {
  it("makes a branded, frozen controller with default supports", () => {
    const c = defineCustomTask({ ...EX, run: () => ({}) });
    assert.equal(isCustomTaskController(c), true);
    assert.equal(Object.isFrozen(c), true);
    assert.deepEqual(c.supports, { timeout: true, workspaces: false, podTemplate: false, retries: true });
    assert.deepEqual(c.accepts, { ref: true, spec: true });
  });

  it("rejects a malformed apiVersion or kind", () => {
    assert.throws(
      () => defineCustomTask({ apiVersion: "nogroup", kind: "X", run: () => ({}) }),
      /apiVersion must be "<group>\/<version>"/,
    );
    assert.throws(
      () => defineCustomTask({ apiVersion: "a/v1", kind: "", run: () => ({}) }),
      /kind must be a non-empty string/,
    );
  });

  it("types params from their declarations", async () => {
    let got: { name: string; tags: string[] } | undefined;
    h = startHarness([
      defineCustomTask({
        ...EX,
        params: { name: { default: "world" }, tags: { type: "array", default: ["a"] } },
        run: ({ params }) => {
          const name: string = params.name;
          const tags: string[] = params.tags;
          got = { name, tags };
        },
      }),
    ]);
    await h.create(customRun("typed", EX));
    assert.deepEqual(got, { name: "world", tags: ["a"] });
  });

  it("logs to the attempt's log file and to onLog, with warning and error prefixes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tektite-sdk-log-"));
    h = startHarness(
      [
        defineCustomTask({
          ...EX,
          run: ({ log }) => {
            log.info("first\nsecond");
            log.warn("careful");
            log.error("bad");
          },
        }),
      ],
      { dataDir },
    );
    await h.create(customRun("logs", EX));
    assert.equal(
      readFileSync(customRunLogPath(dataDir, "default", "logs", 0), "utf8"),
      "first\nsecond\nwarning: careful\nerror: bad\n",
    );
    assert.deepEqual(
      h.logs.map((l) => [l.level, l.chunk.toString()]),
      [
        ["info", "first\nsecond\n"],
        ["warn", "warning: careful\n"],
        ["error", "error: bad\n"],
      ],
    );
  });
});

describe("CustomRunDispatcher", () => {
  it("refuses two controllers for the same apiVersion/kind unless replacing", () => {
    const a = defineCustomTask({ ...EX, run: () => ({}) });
    const b = defineCustomTask({ ...EX, run: () => ({}) });
    const d = new CustomRunDispatcher([a]);
    assert.throws(() => d.register(b), DuplicateControllerError);
    d.register(b, { replace: true });
    assert.equal(d.controllerFor(customRun("x", EX) as never), b);
  });
});

describe("defineCustomReconciler", () => {
  it("requeues, keeps its state in extraFields and succeeds when done", async () => {
    const polls: number[] = [];
    const reconciler = defineCustomReconciler({
      ...EX,
      reconcile: (_run, ctx): ReconcileDecision => {
        const n = ((ctx.extraFields as { polls?: number } | undefined)?.polls ?? 0) + 1;
        polls.push(n);
        if (n < 3)
          return { running: { message: `poll ${n}`, extraFields: { polls: n } }, requeueAfterMs: 1000 };
        return {
          succeeded: {
            reason: "Ready",
            message: `ready after ${n} polls`,
            results: { polls: String(n) },
            extraFields: { polls: n },
          },
        };
      },
    });
    h = startHarness([reconciler]);
    await h.create(customRun("poll", EX));
    assert.deepEqual(cond(h.status("poll")), ["Unknown", "Running", "poll 1"]);
    await h.advance(999);
    assert.deepEqual(polls, [1]);
    await h.advance(1);
    await h.advance(1000);
    assert.deepEqual(cond(h.status("poll")), ["True", "Ready", "ready after 3 polls"]);
    assert.deepEqual(h.status("poll").results, [{ name: "polls", value: "3" }]);
    assert.deepEqual(polls, [1, 2, 3]);
  });

  it("fails with the decision's reason, and with Failed when reconcile throws", async () => {
    h = startHarness([
      defineCustomReconciler({
        ...EX,
        reconcile: () => ({ failed: { reason: "Nope", message: "external system said no" } }),
      }),
      defineCustomReconciler({
        apiVersion: "t.dev/v1",
        kind: "Throws",
        reconcile: () => Promise.reject(new Error("unreachable")),
      }),
    ]);
    await h.create(customRun("no", EX));
    await h.create(customRun("throws", { apiVersion: "t.dev/v1", kind: "Throws" }));
    assert.deepEqual(cond(h.status("no")), ["False", "Nope", "external system said no"]);
    assert.deepEqual(cond(h.status("throws")), ["False", "Failed", "unreachable"]);
  });

  it("picks up its state from status after a restart of the engine", async () => {
    const clock = new ManualClock();
    const store = openMemoryStore({ now: () => clock.now() });
    const seen: unknown[] = [];
    const controller = defineCustomReconciler({
      ...EX,
      reconcile: (_run, ctx) => {
        seen.push(ctx.extraFields);
        return { running: { extraFields: { step: "waiting" } } };
      },
    });
    const first = new CustomRunReconciler({
      store,
      clock,
      dispatcher: new CustomRunDispatcher([controller]),
    });
    first.start();
    store.create(ResourceTypes.CustomRun, customRun("survivor", EX));
    await first.settled();
    await first.stop();
    const second = new CustomRunReconciler({
      store,
      clock,
      dispatcher: new CustomRunDispatcher([controller]),
    });
    second.start();
    await second.settled();
    await second.stop();
    assert.deepEqual(seen, [undefined, { step: "waiting" }]);
    const s = store.get<CustomRun>(ResourceTypes.CustomRun, "default", "survivor")?.status;
    assert.deepEqual(cond(s), ["Unknown", "Running", undefined]);
  });

  it("fails a high-level task interrupted by a restart (and retries it when it may)", async () => {
    const clock = new ManualClock();
    const store = openMemoryStore({ now: () => clock.now() });
    const hang = defineCustomTask({
      ...EX,
      run: ({ signal }) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    });
    const first = new CustomRunReconciler({ store, clock, dispatcher: new CustomRunDispatcher([hang]) });
    first.start();
    store.create(ResourceTypes.CustomRun, customRun("interrupted", EX));
    await first.settled();
    // A crash: the process is gone without a chance to write anything.
    const done = defineCustomTask({ ...EX, run: () => ({}) });
    const second = new CustomRunReconciler({ store, clock, dispatcher: new CustomRunDispatcher([done]) });
    second.start();
    await second.settled();
    await second.stop();
    const s = store.get<CustomRun>(ResourceTypes.CustomRun, "default", "interrupted")?.status;
    assert.deepEqual(cond(s), [
      "False",
      "Failed",
      'CustomRun "interrupted" was interrupted: the tektite process running it stopped before it finished',
    ]);
    await first.stop();
  });
});

describe("engine stop", () => {
  it("records a running task as cancelled on stop, or leaves it for the next start with cancelRunning false", async () => {
    for (const cancelRunning of [true, false]) {
      const clock = new ManualClock();
      const store = openMemoryStore({ now: () => clock.now() });
      const aborted: unknown[] = [];
      const task = defineCustomTask({
        ...EX,
        run: ({ signal }) =>
          new Promise<void>((_resolve, reject) =>
            signal.addEventListener("abort", () => {
              aborted.push(signal.reason);
              reject(new Error("aborted"));
            }),
          ),
      });
      const r = new CustomRunReconciler({ store, clock, dispatcher: new CustomRunDispatcher([task]) });
      r.start();
      store.create(ResourceTypes.CustomRun, customRun("s", EX));
      await r.settled();
      await r.stop({ cancelRunning });
      const s = store.get<CustomRun>(ResourceTypes.CustomRun, "default", "s")?.status;
      assert.deepEqual(aborted, ["shutdown"]);
      assert.deepEqual(
        cond(s),
        cancelRunning
          ? ["False", "CustomRunCancelled", 'CustomRun "s" was cancelled: tektite is shutting down']
          : ["Unknown", "Running", undefined],
      );
    }
  });
});
