/**
 * Child processes for the benchmarks: timed runs of a command (from spawn to exit), the tektite
 * CLI, and repeated side-by-side measurement of several variants.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** The outcome of one timed run. */
export interface Timed {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `argv` to completion and times it from spawn to `close` (all output read). */
export function runTimed(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Timed> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.once("error", reject);
    child.once("close", (code) =>
      resolveRun({
        ms: performance.now() - t0,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Like {@link runTimed}, but a non-zero exit is an error carrying the command's output. */
export async function runOk(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Timed> {
  const r = await runTimed(argv, opts);
  if (r.code !== 0) {
    const tail = (r.stderr + r.stdout).trim().split("\n").slice(-8).join("\n");
    throw new Error(`${argv.join(" ")} exited with ${String(r.code)}:\n${tail}`);
  }
  return r;
}

/** argv of the tektite CLI of this repository, run by the same node binary. */
export function tektiteArgv(repo: string, ...args: string[]): string[] {
  return [process.execPath, join(repo, "bin", "tektite.js"), ...args];
}

/** argv of `spawn-loop.js`: a cold node process spawning `cmd` `count` times, one after the other. */
export function spawnLoopArgv(repo: string, count: number, cmd: readonly string[]): string[] {
  return [process.execPath, join(repo, "dist", "scripts", "bench", "spawn-loop.js"), String(count), ...cmd];
}

/** A variant measured side by side with others: returns milliseconds. */
export type Variant = () => Promise<number>;

/**
 * Runs every variant once as a warm-up, then `reps` rounds of all of them, rotating the order each
 * round so that no variant always runs right after the same neighbour. Returns each variant's
 * timings in round order (the same index is the same round across variants).
 */
export async function sideBySide(
  variants: Record<string, Variant>,
  reps: number,
  onRound?: (round: number) => void,
): Promise<Record<string, number[]>> {
  const names = Object.keys(variants);
  for (const n of names) await variants[n]!();
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length]!;
      out[n]!.push(await variants[n]!());
    }
    onRound?.(r + 1);
  }
  return out;
}

/** Element-wise `(a[i] - b[i]) / div`. */
export function perStep(a: readonly number[], b: readonly number[], div: number): number[] {
  return a.map((x, i) => (x - b[i]!) / div);
}
