/**
 * Benchmark 1, host step overhead: an N-step TaskRun of `command: ["true"]` through
 * `tektite run --executor host` (with `--sandbox none` and with the bubblewrap sandbox) against N
 * sequential bare spawns of the same command from a cold node process (and N sequential
 * `bwrap … true` with the sandbox's own filesystem plan). Per-step cost is
 * (T(N) − T(1)) / (N − 1) for both sides, which cancels process start-up.
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { bwrapArgs, planSandbox, realHostView } from "../../src/executors/sandbox.js";
import { stepsTaskRun, writeTaskRun } from "./fixtures.js";
import { perStep, runOk, runTimed, sideBySide, spawnLoopArgv, tektiteArgv, type Variant } from "./proc.js";
import { fmtRatio, fmtSummary, rounded, signedMs, summarize } from "./stats.js";
import type { BenchContext, BenchRow, Benchmark } from "./types.js";

const TARGET = 1.3;

/** Whether `bwrap` can run here at all. */
async function bwrapUsable(): Promise<boolean> {
  try {
    const r = await runTimed([
      "bwrap",
      "--ro-bind",
      "/",
      "/",
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--unshare-pid",
      "true",
    ]);
    return r.code === 0;
  } catch {
    return false; // no bwrap binary (spawn ENOENT)
  }
}

function tektiteVariant(ctx: BenchContext, file: string, sandbox: string, dataDir: string): Variant {
  mkdirSync(dataDir, { recursive: true });
  const argv = tektiteArgv(
    ctx.repo,
    "run",
    "-f",
    file,
    "--executor",
    "host",
    "--sandbox",
    sandbox,
    "--data-dir",
    dataDir,
  );
  return async () => (await runOk(argv)).ms;
}

function loopVariant(ctx: BenchContext, count: number, cmd: string[]): Variant {
  const argv = spawnLoopArgv(ctx.repo, count, cmd);
  return async () => (await runOk(argv)).ms;
}

/** One comparison row: tektite's per-step cost against the floor's. */
function row(metric: string, ours: number[], floor: number[], dominates: string): BenchRow {
  const o = summarize(ours);
  const f = summarize(floor);
  const ratio = o.median / f.median;
  const met = ratio <= TARGET;
  return {
    metric,
    target: `≤ ${TARGET.toFixed(2)}× floor`,
    measured: `${fmtSummary(o)} per step vs floor ${fmtSummary(f)}; ${signedMs(o.median - f.median)} per step`,
    ratio,
    verdict: met ? "met" : "missed",
    ...(met ? {} : { dominates }),
    data: { tektitePerStepMs: rounded(o), floorPerStepMs: rounded(f), extraMsPerStep: o.median - f.median },
  };
}

export const hostSteps: Benchmark = {
  name: "host-steps",
  title: "Host step overhead",
  async run(ctx) {
    const n = 20;
    const reps = ctx.quick ? 3 : 7;
    const dir = join(ctx.scratch, "host-steps");
    mkdirSync(dir, { recursive: true });
    const fileN = writeTaskRun(dir, "n.yaml", stepsTaskRun("steps", n, ["true"]));
    const file1 = writeTaskRun(dir, "one.yaml", stepsTaskRun("steps", 1, ["true"]));
    const sandboxed = await bwrapUsable();
    const variants: Record<string, Variant> = {
      noneN: tektiteVariant(ctx, fileN, "none", join(dir, "d-noneN")),
      none1: tektiteVariant(ctx, file1, "none", join(dir, "d-none1")),
      spawnN: loopVariant(ctx, n, ["true"]),
      spawn1: loopVariant(ctx, 1, ["true"]),
    };
    if (sandboxed) {
      const plan = planSandbox({ mounts: [] }, realHostView);
      const bw = ["bwrap", ...bwrapArgs(plan, "/", ["true"])];
      variants["bwrapN"] = tektiteVariant(ctx, fileN, "bwrap", join(dir, "d-bwrapN"));
      variants["bwrap1"] = tektiteVariant(ctx, file1, "bwrap", join(dir, "d-bwrap1"));
      variants["bareBwrapN"] = loopVariant(ctx, n, bw);
      variants["bareBwrap1"] = loopVariant(ctx, 1, bw);
    }
    const t = await sideBySide(variants, reps, (r) => ctx.log(`  host-steps round ${r}/${reps}`));
    const rows: BenchRow[] = [
      row(
        `per-step overhead, \`--sandbox none\` (N=${n})`,
        perStep(t["noneN"]!, t["none1"]!, n - 1),
        perStep(t["spawnN"]!, t["spawn1"]!, n - 1),
        "per-step bookkeeping in the engine and host executor rather than the spawn itself (see the profile notes below)",
      ),
    ];
    if (sandboxed) {
      rows.push(
        row(
          `per-step overhead, bubblewrap sandbox (N=${n})`,
          perStep(t["bwrapN"]!, t["bwrap1"]!, n - 1),
          perStep(t["bareBwrapN"]!, t["bareBwrap1"]!, n - 1),
          "the sandbox plan (a readdir of / and an lstat per entry, per step) and the Tekton mounts bwrap sets up per step, plus the engine's per-step bookkeeping",
        ),
      );
    }
    for (const [k, label] of [
      ["noneN", `TaskRun of ${n} steps, --sandbox none`],
      ["none1", "TaskRun of 1 step, --sandbox none"],
      ["spawnN", `${n} bare spawns (cold node)`],
      ["spawn1", "1 bare spawn (cold node)"],
      ["bwrapN", `TaskRun of ${n} steps, bubblewrap`],
      ["bwrap1", "TaskRun of 1 step, bubblewrap"],
      ["bareBwrapN", `${n} bare bwrap … true (cold node)`],
      ["bareBwrap1", "1 bare bwrap … true (cold node)"],
    ] as const) {
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
    const notes = sandboxed ? [] : ["bubblewrap does not work here: the sandbox comparison was skipped."];
    for (const r of rows) if (r.ratio !== undefined) ctx.log(`  ${r.metric}: ${fmtRatio(r.ratio)}`);
    return {
      method: `\`tektite run -f <TaskRun of N steps running ["true"]> --executor host\` and the same with 1 step, against a cold node process that spawns \`true\` N times (and 1 time) sequentially with \`child_process.spawn\`; for the sandbox, against N sequential \`bwrap <the sandbox's own root plan> true\`. Per-step cost = (T(N) − T(1)) / (N − 1) on both sides, per round; ${reps} rounds after a warm-up, variants interleaved.`,
      rows,
      notes,
    };
  },
};
