/**
 * Benchmark 2, container step overhead: an N-step TaskRun (`command: ["true"]` in the busybox
 * stand-in image) through `tektite run --executor podman` against N sequential
 * `podman run --rm --network none <image> true` from a cold node process. Reported per step
 * ((T(N) − T(1)) / (N − 1) on both sides) and for the whole TaskRun against the whole loop.
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BUSYBOX, stepsTaskRun, writeTaskRun } from "./fixtures.js";
import { perStep, runOk, runTimed, sideBySide, spawnLoopArgv, tektiteArgv, type Variant } from "./proc.js";
import { fmtSummary, rounded, signedMs, summarize } from "./stats.js";
import type { BenchRow, Benchmark } from "./types.js";

const TARGET = 1.15;

/** Why podman cannot be used here, or undefined when it works with the image. */
async function podmanProblem(): Promise<string | undefined> {
  try {
    const r = await runTimed(["podman", "run", "--rm", "--network", "none", BUSYBOX, "true"]);
    if (r.code === 0) return undefined;
    return `podman run ${BUSYBOX} true exited with ${String(r.code)}: ${r.stderr.trim().split("\n").slice(-2).join(" ")}`;
  } catch (err) {
    return `podman cannot be started: ${(err as Error).message}`;
  }
}

function compare(metric: string, ours: number[], floor: number[], dominates: string): BenchRow {
  const o = summarize(ours);
  const f = summarize(floor);
  const ratio = o.median / f.median;
  const met = ratio <= TARGET;
  return {
    metric,
    target: `≤ ${TARGET.toFixed(2)}× floor`,
    measured: `${fmtSummary(o)} vs floor ${fmtSummary(f)}; ${signedMs(o.median - f.median)}`,
    ratio,
    verdict: met ? "met" : "missed",
    ...(met ? {} : { dominates }),
    data: { tektiteMs: rounded(o), floorMs: rounded(f) },
  };
}

export const containerSteps: Benchmark = {
  name: "container-steps",
  title: "Container step overhead",
  async run(ctx) {
    const problem = await podmanProblem();
    const method = `\`tektite run -f <TaskRun of N steps running ["true"] in ${BUSYBOX}> --executor podman\` (and 1 step) against a cold node process running \`podman run --rm --network none ${BUSYBOX} true\` N times (and 1 time) sequentially.`;
    if (problem !== undefined) {
      ctx.log(`  skipped: ${problem}`);
      return {
        method,
        rows: [
          {
            metric: "per-step overhead",
            target: `≤ ${TARGET.toFixed(2)}× floor`,
            measured: "—",
            verdict: "skipped",
          },
        ],
        notes: [`Skipped: ${problem}`],
      };
    }
    const n = 5;
    const reps = ctx.quick ? 2 : 8;
    const dir = join(ctx.scratch, "container-steps");
    mkdirSync(dir, { recursive: true });
    const fileN = writeTaskRun(dir, "n.yaml", stepsTaskRun("csteps", n, ["true"]));
    const file1 = writeTaskRun(dir, "one.yaml", stepsTaskRun("csteps", 1, ["true"]));
    const tek = (file: string): Variant => {
      const dataDir = `${file}.data`;
      mkdirSync(dataDir, { recursive: true });
      const argv = tektiteArgv(
        ctx.repo,
        "run",
        "-f",
        file,
        "--executor",
        "podman",
        "--pull",
        "never",
        "--data-dir",
        dataDir,
      );
      return async () => (await runOk(argv)).ms;
    };
    const loop = (count: number): Variant => {
      const argv = spawnLoopArgv(ctx.repo, count, [
        "podman",
        "run",
        "--rm",
        "--network",
        "none",
        BUSYBOX,
        "true",
      ]);
      return async () => (await runOk(argv)).ms;
    };
    const t = await sideBySide(
      { tekN: tek(fileN), tek1: tek(file1), podN: loop(n), pod1: loop(1) },
      reps,
      (r) => ctx.log(`  container-steps round ${r}/${reps}`),
    );
    const rows: BenchRow[] = [
      compare(
        `per-step overhead (N=${n})`,
        perStep(t["tekN"]!, t["tek1"]!, n - 1),
        perStep(t["podN"]!, t["pod1"]!, n - 1),
        "per step, tektite's own bookkeeping around each `podman run --rm` (see host-steps), small next to podman's own cost and within this machine's noise; see the analysis",
      ),
      compare(
        `whole TaskRun of ${n} steps vs ${n} \`podman run\` (both from a cold node process)`,
        t["tekN"]!,
        t["podN"]!,
        "node + tektite start-up and one `podman image inspect` per image, on top of the per-step cost; a TaskRun with sidecars still creates and removes a pod; see the analysis",
      ),
    ];
    for (const [k, label] of [
      ["tek1", "TaskRun of 1 step"],
      ["pod1", "1 `podman run` (cold node)"],
    ] as const) {
      const s = summarize(t[k]!);
      rows.push({
        metric: `whole process: ${label}`,
        target: "—",
        measured: fmtSummary(s),
        verdict: "info",
        detail: true,
        data: { wallMs: rounded(s) },
      });
    }
    return { method: `${method} ${reps} rounds after a warm-up, variants interleaved.`, rows, notes: [] };
  },
};
