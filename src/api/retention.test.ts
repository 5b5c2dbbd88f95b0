import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RetentionError, parseKeepSince, retentionPolicy, runsToPrune, type RunTimes } from "./retention.js";

const now = new Date("2026-01-01T12:00:00Z");
const run = (name: string, startMin: number, doneMin?: number): RunTimes => ({
  name,
  startTime: new Date(now.getTime() - startMin * 60_000).toISOString(),
  ...(doneMin !== undefined
    ? { completionTime: new Date(now.getTime() - doneMin * 60_000).toISOString() }
    : {}),
});

void describe("runsToPrune", () => {
  const runs = [run("old", 50, 45), run("running", 60), run("newest", 5, 1), run("middle", 20, 15)];

  void it("keeps the N most recently started completed runs and never counts or prunes a running one", () => {
    assert.deepEqual(runsToPrune(runs, { keep: 2 }, now), ["old"]);
    assert.deepEqual(runsToPrune(runs, { keep: 0 }, now), ["newest", "middle", "old"]);
    assert.deepEqual(runsToPrune(runs, { keep: 5 }, now), []);
  });

  void it("keeps the runs completed within keep-since", () => {
    assert.deepEqual(runsToPrune(runs, { keepSinceMs: 10 * 60_000 }, now), ["old", "middle"]);
    assert.deepEqual(runsToPrune(runs, { keepSinceMs: 60 * 60_000 }, now), []);
  });

  void it("orders runs started in the same second by when they completed", () => {
    const sameStart = [run("zulu", 10, 9), run("alpha", 10, 2), run("mike", 10, 5)];
    assert.deepEqual(runsToPrune(sameStart, { keep: 1 }, now), ["mike", "zulu"]);
  });

  void it("prunes nothing without a policy", () => {
    assert.deepEqual(runsToPrune(runs, {}, now), []);
  });
});

void describe("retention settings", () => {
  void it("takes keep-since as tkn's minutes or as a duration", () => {
    assert.equal(parseKeepSince("60"), 3_600_000);
    assert.equal(parseKeepSince("90s"), 90_000);
    assert.equal(parseKeepSince("24h"), 86_400_000);
    assert.throws(
      () => parseKeepSince("soon"),
      /keep-since: expected minutes or a duration such as 24h, got "soon"/,
    );
    assert.throws(() => parseKeepSince("-5m"), /must not be negative/);
  });

  void it("refuses keep and keep-since together with the operator's message", () => {
    assert.throws(
      () => retentionPolicy(3, 60_000, { keep: "--keep", keepSince: "--keep-since" }),
      (err: unknown) =>
        err instanceof RetentionError &&
        err.message === "expected exactly one, got both: --keep, --keep-since",
    );
    assert.deepEqual(retentionPolicy(3, undefined), { keep: 3 });
  });
});
