import assert from "node:assert/strict";
import { test } from "node:test";
import { DurationError, formatGoDuration, normalizeGoDuration, parseGoDuration } from "./duration.js";

void test("durations are stored the way Go's Duration.String() prints them", () => {
  const cases: Array<[string, string]> = [
    ["60s", "1m0s"],
    ["1h", "1h0m0s"],
    ["1.5h", "1h30m0s"],
    ["1h30m", "1h30m0s"],
    ["90m", "1h30m0s"],
    ["300ms", "300ms"],
    ["1500ms", "1.5s"],
    ["0", "0s"],
    ["0s", "0s"],
    ["10ms", "10ms"],
    ["1.000000001s", "1.000000001s"],
    ["2us", "2µs"],
    ["2µs", "2µs"],
    ["3ns", "3ns"],
    ["-5s", "-5s"],
    ["+15s", "15s"],
    ["1h0m0.5s", "1h0m0.5s"],
    ["25h", "25h0m0s"],
  ];
  for (const [input, want] of cases) assert.equal(normalizeGoDuration(input), want, input);
});

void test("bad durations give Go's error text", () => {
  const cases: Array<[string, string]> = [
    ["x", 'time: invalid duration "x"'],
    ["", 'time: invalid duration ""'],
    ["1", 'time: missing unit in duration "1"'],
    ["10 s", 'time: unknown unit " s" in duration "10 s"'],
    ["5d", 'time: unknown unit "d" in duration "5d"'],
    [".s", 'time: invalid duration ".s"'],
    ["-", 'time: invalid duration "-"'],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseGoDuration(input),
      (err: unknown) => err instanceof DurationError && err.message === message,
      input,
    );
  }
});

void test("parsing keeps nanosecond precision and Go's truncation of fractions", () => {
  assert.equal(parseGoDuration("1.5s"), 1_500_000_000n);
  assert.equal(parseGoDuration("0.3333333333s"), 333_333_333n);
  assert.equal(formatGoDuration(3_600_000_000_000n * 2n + 1n), "2h0m0.000000001s");
});
