/**
 * Shared shapes of the benchmark suite: what a benchmark receives ({@link BenchContext}) and what
 * it reports ({@link BenchResult}), which `report.ts` renders into docs/benchmarks.{md,json}.
 *
 * @module
 */

import type { Summary } from "./stats.js";

/** Everything a benchmark needs to know about the run it is part of. */
export interface BenchContext {
  /** Repository root (where `bin/tektite.js` lives). */
  repo: string;
  /** Scratch directory for this run of the suite (removed at the end). */
  scratch: string;
  /** `--quick`: fewer repetitions and smaller workloads. */
  quick: boolean;
  /** Number of CPUs (`os.availableParallelism()`). */
  cores: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** Whether a figure meets its target. `info` rows have no target. */
export type Verdict = "met" | "missed" | "info" | "blocked" | "skipped";

/** One line of a benchmark's table. */
export interface BenchRow {
  /** What is measured, e.g. "per-step overhead, --sandbox none". */
  metric: string;
  /** The target in words ("≤ 1.30×", "< 200 ms"), or "—". */
  target: string;
  /** The measured value in words (median, with min–max). */
  measured: string;
  /** The ratio to the floor, when there is one. */
  ratio?: number;
  verdict: Verdict;
  /** For a missed target: what dominates the cost (from profiles and timing breakdowns). */
  dominates?: string;
  /** A detail row: shown in the benchmark's own table, left out of the summary. */
  detail?: boolean;
  /** Raw numbers for docs/benchmarks.json. */
  data?: Record<string, Summary | number | string | boolean>;
}

/** The outcome of one benchmark. */
export interface BenchResult {
  name: string;
  title: string;
  /** How it is measured (one paragraph, shown under the title). */
  method: string;
  rows: BenchRow[];
  notes: string[];
  /** Wall-clock seconds the benchmark took. */
  seconds: number;
}

/** A benchmark of the suite. */
export interface Benchmark {
  /** `--only` name. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<BenchResult, "name" | "title" | "seconds">>;
}
