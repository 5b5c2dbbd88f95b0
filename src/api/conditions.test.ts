import assert from "node:assert/strict";
import { test } from "node:test";
import {
  EmptyFields,
  isCancelled,
  isDone,
  isRunning,
  isSucceeded,
  succeededCondition,
  withSucceededCondition,
} from "./conditions.js";
import type { Condition } from "./types.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:01:00Z");
const empty: { conditions?: Condition[] } = {};

test("a run without a Succeeded condition is neither done nor succeeded", () => {
  assert.equal(isDone({ status: { conditions: [{ type: "Ready", status: "True" }] } }), false);
  assert.equal(isSucceeded({}), false);
  assert.equal(succeededCondition(undefined), undefined);
});

test("True and False are done, Unknown is running once started", () => {
  const ok = { status: { conditions: [{ type: "Succeeded", status: "True" }] } };
  const running = { status: { startTime: "x", conditions: [{ type: "Succeeded", status: "Unknown" }] } };
  assert.equal(isDone(ok), true);
  assert.equal(isSucceeded(ok), true);
  assert.equal(isDone(running), false);
  assert.equal(isRunning(running), true);
  assert.equal(isRunning(ok), false);
});

test("cancelled is read from the condition's reason of every run kind", () => {
  for (const reason of ["TaskRunCancelled", "CustomRunCancelled", "RunCancelled"]) {
    assert.equal(
      isCancelled({ status: { conditions: [{ type: "Succeeded", status: "False", reason }] } }),
      true,
    );
  }
  assert.equal(
    isCancelled({
      status: { conditions: [{ type: "Succeeded", status: "False", reason: "TaskRunTimeout" }] },
    }),
    false,
  );
});

test("setting an unchanged condition keeps its lastTransitionTime; a change moves it", () => {
  const first = withSucceededCondition(
    empty,
    { status: "Unknown", reason: "Running", message: "m" },
    t0,
    EmptyFields.Keep,
  );
  const same = withSucceededCondition(
    first,
    { status: "Unknown", reason: "Running", message: "m" },
    t1,
    EmptyFields.Keep,
  );
  assert.equal(succeededCondition(same)?.lastTransitionTime, "2026-01-01T00:00:00Z");
  const next = withSucceededCondition(same, { status: "True", reason: "Succeeded" }, t1, EmptyFields.Keep);
  assert.equal(succeededCondition(next)?.lastTransitionTime, "2026-01-01T00:01:00Z");
  assert.equal(next.conditions?.length, 1);
});

test("empty reason and message are kept or omitted as asked", () => {
  const kept = withSucceededCondition(
    empty,
    { status: "Unknown", reason: "Started", message: "" },
    t0,
    EmptyFields.Keep,
  );
  assert.deepEqual(succeededCondition(kept), {
    type: "Succeeded",
    status: "Unknown",
    reason: "Started",
    message: "",
    lastTransitionTime: "2026-01-01T00:00:00Z",
  });
  const omitted = withSucceededCondition(
    empty,
    { status: "Unknown", reason: "Started", message: "" },
    t0,
    EmptyFields.Omit,
  );
  assert.equal("message" in (succeededCondition(omitted) ?? {}), false);
});

test("other condition types are kept", () => {
  const s = withSucceededCondition(
    { conditions: [{ type: "Ready", status: "True" as const }] },
    { status: "True" },
    t0,
    EmptyFields.Omit,
  );
  assert.deepEqual(
    s.conditions?.map((c) => c.type),
    ["Ready", "Succeeded"],
  );
});
