/**
 * Go `time.Duration` parsing and formatting, byte-for-byte as Go's `time.ParseDuration` and
 * `Duration.String()`: Tekton stores `60s` as `1m0s`, and users see Go's error text.
 * Durations are held as bigint nanoseconds so that every Go value round-trips exactly.
 */

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;

export class DurationError extends Error {
  override readonly name = "DurationError";
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** Parses a Go duration string; throws `DurationError` with Go's message (`time: invalid duration "x"`). */
export function parseGoDuration(input: string): bigint {
  const orig = input;
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new DurationError(`time: invalid duration ${quote(orig)}`);
  let total = 0n;
  while (s !== "") {
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) {
      throw new DurationError(`time: invalid duration ${quote(orig)}`);
    }
    const intMatch = /^[0-9]*/.exec(s)![0];
    s = s.slice(intMatch.length);
    let fracDigits = "";
    const hadInt = intMatch !== "";
    if (s.startsWith(".")) {
      s = s.slice(1);
      fracDigits = /^[0-9]*/.exec(s)![0];
      s = s.slice(fracDigits.length);
    }
    if (!hadInt && fracDigits === "") throw new DurationError(`time: invalid duration ${quote(orig)}`);
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unitMatch.length);
    if (unitMatch === "") throw new DurationError(`time: missing unit in duration ${quote(orig)}`);
    const unit = UNIT_NS[unitMatch];
    if (unit === undefined) {
      throw new DurationError(`time: unknown unit ${quote(unitMatch)} in duration ${quote(orig)}`);
    }
    const whole = intMatch === "" ? 0n : BigInt(intMatch);
    let value = whole * unit;
    if (fracDigits !== "") {
      // Go truncates the fractional part toward zero at nanosecond precision.
      const scale = 10n ** BigInt(fracDigits.length);
      value += (BigInt(fracDigits) * unit) / scale;
    }
    total += value;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw new DurationError(`time: invalid duration ${quote(orig)}`);
  }
  return neg ? -total : total;
}

function fmtFrac(v: bigint, prec: number): { digits: string; rest: bigint } {
  let digits = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const d = v % 10n;
    print = print || d !== 0n;
    if (print) digits = d.toString() + digits;
    v /= 10n;
  }
  return { digits: print ? "." + digits : "", rest: v };
}

/** Formats nanoseconds exactly as Go's `Duration.String()` (`1h0m0s`, `1.5s`, `300ms`, `0s`). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    let unit: string;
    let prec: number;
    if (u < 1_000n) return (neg ? "-" : "") + u.toString() + "ns";
    if (u < 1_000_000n) {
      unit = "µs";
      prec = 3;
    } else {
      unit = "ms";
      prec = 6;
    }
    const { digits, rest } = fmtFrac(u, prec);
    out = rest.toString() + digits + unit;
  } else {
    const { digits, rest } = fmtFrac(u, 9);
    u = rest;
    let str = (u % 60n).toString() + digits + "s";
    u /= 60n;
    if (u > 0n) {
      str = (u % 60n).toString() + "m" + str;
      u /= 60n;
      if (u > 0n) str = u.toString() + "h" + str;
    }
    out = str;
  }
  return (neg ? "-" : "") + out;
}

/** Normalizes a duration string to Go's canonical form (`60s` → `1m0s`). */
export function normalizeGoDuration(input: string): string {
  return formatGoDuration(parseGoDuration(input));
}

/** Milliseconds as a JS number (for timers); sub-millisecond parts are truncated. */
export function durationToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

export function msToDuration(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}
