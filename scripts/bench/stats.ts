/**
 * Statistics over repeated timings: median, min, max and percentiles, plus formatting.
 *
 * @module
 */

/** Summary of a sample. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p99?: number;
}

/** The `p`-th percentile (0–100) by nearest rank over a sorted copy of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median (mean of the middle two for even sizes), min and max. */
export function summarize(xs: readonly number[], withP99 = false): Summary {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const s: Summary = { n, median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN };
  if (withP99) s.p99 = percentile(sorted, 99);
  return s;
}

/** Milliseconds with a sensible number of decimals. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  return `${a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
}

/** Milliseconds with an explicit sign: "+1.20 ms", "−0.50 ms". */
export function signedMs(x: number): string {
  return x < 0 ? `−${ms(-x)}` : `+${ms(x)}`;
}

/** "12.3 ms (min 11.0, max 14.2, n=7)". */
export function fmtSummary(s: Summary, unit: (x: number) => string = ms): string {
  return `${unit(s.median)} (min ${unit(s.min)}, max ${unit(s.max)}, n=${s.n})`;
}

/** "1.23×". */
export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : "n/a";
}

/** Rounds for JSON output (3 decimals). */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A summary with its numbers rounded for JSON output. */
export function rounded(s: Summary): Summary {
  return {
    n: s.n,
    median: round(s.median),
    min: round(s.min),
    max: round(s.max),
    ...(s.p99 !== undefined ? { p99: round(s.p99) } : {}),
  };
}
