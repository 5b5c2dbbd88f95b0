/**
 * What the profiles showed when the suite was written: the analysis printed under each
 * benchmark in docs/benchmarks.md. Update it when a profile says otherwise.
 *
 * @module
 */

const FINDINGS: Record<string, string[]> = {};

/** The analysis lines of a benchmark (empty when there is none). */
export function analysisFor(name: string): string[] {
  return FINDINGS[name] ?? [];
}
