import assert from "node:assert/strict";
import { test } from "node:test";
import { humanDuration, rfc3339 } from "./time.js";

test("ages read as Kubernetes' HumanDuration writes them", () => {
  assert.deepEqual(
    [
      5_000,
      119_000,
      125_000,
      150_000,
      600_000,
      3_600_000,
      3 * 3600_000 + 60_000,
      4 * 3_600_000 + 60_000,
      50 * 3600_000,
      3 * 86_400_000,
      800 * 86_400_000,
      -500,
      -5_000,
    ].map(humanDuration),
    ["5s", "119s", "2m5s", "2m30s", "10m", "60m", "3h1m", "4h1m", "2d2h", "3d", "2y70d", "0s", "<invalid>"],
  );
});

test("timestamps have second precision, as metav1.Time", () => {
  assert.equal(rfc3339(new Date("2026-01-02T03:04:05.678Z")), "2026-01-02T03:04:05Z");
});
