/**
 * Benchmark 1, host steps: TaskRuns of N steps of `command: ["true"]` through
 * `tektite run --executor host`, with `--sandbox none` and with the bubblewrap sandbox, against
 * the physical floor measured in the same rounds:
 *
 * - whole process, 100 steps: tektite against a cold node process spawning `true` 100 times
 *   (`--sandbox none`) or `bwrap --ro-bind / / true` 100 times (sandbox), the two ratios;
 * - step counts 10/50/100/200 (linearity): the per-step cost of each segment,
 *   (T(N₂) − T(N₁)) / (N₂ − N₁), must stay flat as the TaskRun grows;
 * - detail: 100 bare `bwrap` runs with the sandbox's own root plan (what a sandboxed step's
 *   filesystem costs in bwrap itself, with no tektite around it).
 *
 * @module
 */

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bwrapArgs, planSandbox, realHostView } from "../../src/executors/sandbox.js";
import { stepsTaskRun, writeTaskRun } from "./fixtures.js";
import { runOk, runTimed, sideBySide, spawnLoopArgv, tektiteArgv, type Variant } from "./proc.js";
import { fmtRatio, fmtSummary, rounded, summarize } from "./stats.js";
import type { BenchContext, BenchRow, Benchmark } from "./types.js";

const WHOLE_STEPS = 100;
const NONE_TARGET = 1.3;
const SANDBOX_TARGET = 1.5;
/** The last segment's per-step cost may exceed the first's by this much and still count as linear. */
const LINEAR_TOLERANCE = 1.25;

/** Whether `bwrap` can run here at all. */
async function bwrapUsable(): Promise<boolean> {
  try {
    return (await runTimed(["bwrap", "--ro-bind", "/", "/", "--unshare-pid", "true"])).code === 0;
  } catch {
    return false; // no bwrap binary (spawn ENOENT)
  }
}

/**
 * A `tektite run` of `file`, each time with a new data directory (removed afterwards, untimed):
 * re-running a TaskRun of the same name in the same directory would also time the removal of
 * the previous attempt's directory, which the floor does not have.
 */
function tektiteVariant(ctx: BenchContext, file: string, sandbox: string): Variant {
  return async () => {
    const dataDir = mkdtempSync(join(ctx.scratch, "data-"));
    try {
      const argv = tektiteArgv(ctx.repo, "run", "-f", file, "--executor", "host", "--sandbox", sandbox);
      return (await runOk([...argv, "--data-dir", dataDir])).ms;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

function loopVariant(ctx: BenchContext, count: number, cmd: string[]): Variant {
  const argv = spawnLoopArgv(ctx.repo, count, cmd);
  return async () => (await runOk(argv)).ms;
}

/** Per-round ratios a[i] / b[i]: pairing keeps the ratio meaningful when the machine's speed drifts. */
function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}

function wholeRow(
  metric: string,
  ours: number[],
  floor: number[],
  target: number,
  dominates: string,
): BenchRow {
  const r = summarize(pairedRatios(ours, floor));
  const met = r.median <= target;
  return {
    metric,
    target: `≤ ${target.toFixed(2)}× floor`,
    measured: `${fmtRatio(r.median)} (paired, min ${fmtRatio(r.min)}, max ${fmtRatio(r.max)}); tektite ${fmtSummary(summarize(ours))}, floor ${fmtSummary(summarize(floor))}`,
    ratio: r.median,
    verdict: met ? "met" : "missed",
    ...(met ? {} : { dominates }),
    data: { ratio: rounded(r), tektiteMs: rounded(summarize(ours)), floorMs: rounded(summarize(floor)) },
  };
}

/** The per-step cost of each segment between consecutive step counts, per round. */
function segments(t: Record<string, number[]>, prefix: string, counts: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 1; i < counts.length; i++) {
    const hi = t[`${prefix}${counts[i]}`]!;
    const lo = t[`${prefix}${counts[i - 1]}`]!;
    out.push(hi.map((x, r) => (x - lo[r]!) / (counts[i]! - counts[i - 1]!)));
  }
  return out;
}

function linearityRow(metric: string, segs: number[][], counts: readonly number[]): BenchRow {
  const medians = segs.map((s) => summarize(s).median);
  const growth = medians.at(-1)! / medians[0]!;
  const met = growth <= LINEAR_TOLERANCE;
  const labels = medians.map((m, i) => `${counts[i]}→${counts[i + 1]}: ${m.toFixed(2)} ms/step`);
  return {
    metric,
    target: `linear (last segment ≤ ${LINEAR_TOLERANCE.toFixed(2)}× the first)`,
    measured: `${labels.join(", ")} (last/first ${fmtRatio(growth)})`,
    ratio: growth,
    verdict: met ? "met" : "missed",
    ...(met
      ? {}
      : {
          dominates:
            "store work per status write grows with the TaskRun (each write parses, copies and re-serialises the whole TaskRun, whose status lists every step)",
        }),
    data: Object.fromEntries(medians.map((m, i) => [`msPerStep${counts[i]}to${counts[i + 1]}`, m])),
  };
}

export const hostSteps: Benchmark = {
  name: "host-steps",
  title: "Host step overhead",
  async run(ctx) {
    const counts = ctx.quick ? [10, 50, 100] : [10, 50, 100, 200];
    const reps = ctx.quick ? 3 : 5;
    const dir = join(ctx.scratch, "host-steps");
    mkdirSync(dir, { recursive: true });
    const files = new Map(
      counts.map((n) => [n, writeTaskRun(dir, `n${n}.yaml`, stepsTaskRun("steps", n, ["true"]))]),
    );
    const sandboxed = await bwrapUsable();
    const variants: Record<string, Variant> = {
      spawn: loopVariant(ctx, WHOLE_STEPS, ["true"]),
    };
    for (const n of counts) variants[`none${n}`] = tektiteVariant(ctx, files.get(n)!, "none");
    if (sandboxed) {
      const plan = planSandbox({ mounts: [] }, realHostView);
      variants["bareBwrap"] = loopVariant(ctx, WHOLE_STEPS, ["bwrap", "--ro-bind", "/", "/", "true"]);
      variants["planBwrap"] = loopVariant(ctx, WHOLE_STEPS, ["bwrap", ...bwrapArgs(plan, "/", ["true"])]);
      for (const n of counts) variants[`bwrap${n}`] = tektiteVariant(ctx, files.get(n)!, "bwrap");
    }
    const t = await sideBySide(variants, reps, (r) => ctx.log(`  host-steps round ${r}/${reps}`));
    const rows: BenchRow[] = [
      wholeRow(
        `host \`--sandbox none\`, ${WHOLE_STEPS} steps of \`true\` vs ${WHOLE_STEPS} bare spawns from node`,
        t[`none${WHOLE_STEPS}`]!,
        t["spawn"]!,
        NONE_TARGET,
        "the synchronous spawn inside tektite's larger process (≈ 3.7 ms of main thread per step against ≈ 0.6 ms in the floor's), the per-step files of Tekton's pod layout and entrypoint, and tektite's start-up; see the analysis below",
      ),
    ];
    if (sandboxed) {
      rows.push(
        wholeRow(
          `host sandbox (bubblewrap), ${WHOLE_STEPS} steps vs ${WHOLE_STEPS} bare \`bwrap --ro-bind / / true\``,
          t[`bwrap${WHOLE_STEPS}`]!,
          t["bareBwrap"]!,
          SANDBOX_TARGET,
          "bwrap itself: a sandboxed step's filesystem is ~30 mounts (one per top-level host entry, fresh /proc, /dev and /tmp, and Tekton's paths) against the floor's one; bwrap with the sandbox's own root plan and no tektite around it is the `planBwrap` detail row",
        ),
      );
    }
    rows.push(
      linearityRow(
        `host \`--sandbox none\`, per-step cost by step count`,
        segments(t, "none", counts),
        counts,
      ),
    );
    if (sandboxed)
      rows.push(
        linearityRow(`host sandbox, per-step cost by step count`, segments(t, "bwrap", counts), counts),
      );
    const details: Array<[string, string]> = [
      ["spawn", `${WHOLE_STEPS} bare spawns of \`true\` (cold node)`],
      ["bareBwrap", `${WHOLE_STEPS} bare \`bwrap --ro-bind / / true\` (cold node)`],
      ["planBwrap", `${WHOLE_STEPS} bare bwrap with the sandbox's root plan (cold node)`],
      ...counts.map((n): [string, string] => [`none${n}`, `TaskRun of ${n} steps, --sandbox none`]),
      ...counts.map((n): [string, string] => [`bwrap${n}`, `TaskRun of ${n} steps, bubblewrap`]),
    ];
    for (const [k, label] of details) {
      const xs = t[k];
      if (xs === undefined) continue;
      const s = summarize(xs);
      rows.push({
        metric: `whole process: ${label}`,
        target: "—",
        measured: fmtSummary(s),
        verdict: "info",
        detail: true,
        data: { wallMs: rounded(s) },
      });
    }
    const notes = sandboxed ? [] : ["bubblewrap does not work here: the sandbox rows were skipped."];
    for (const r of rows) if (r.ratio !== undefined) ctx.log(`  ${r.metric}: ${fmtRatio(r.ratio)}`);
    return {
      method: `\`tektite run -f <TaskRun of N steps running ["true"]> --executor host\` (N = ${counts.join(", ")}), with \`--sandbox none\` and with the bubblewrap sandbox, whole process from spawn to exit; the floors are cold node processes spawning \`true\` (or \`bwrap --ro-bind / / true\`) ${WHOLE_STEPS} times one after the other. Ratios are taken round by round (paired); ${reps} rounds after a warm-up, variants interleaved.`,
      rows,
      notes,
    };
  },
};
