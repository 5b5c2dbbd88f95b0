/**
 * Benchmark 3, end to end: `tektite run -f` of a 1-step echo TaskRun from process start to exit,
 * a cold node process each time, on the host (default sandbox and `--sandbox none`) and in
 * podman; with `node -e 0` (the floor) and `tektite --version` (CLI start-up) alongside.
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BUSYBOX, stepsTaskRun, writeTaskRun } from "./fixtures.js";
import { runOk, runTimed, sideBySide, tektiteArgv, type Variant } from "./proc.js";
import { fmtSummary, ms, rounded, summarize } from "./stats.js";
import type { BenchRow, Benchmark } from "./types.js";

const HOST_TARGET_MS = 100;

async function podmanWorks(): Promise<boolean> {
  try {
    return (await runTimed(["podman", "run", "--rm", "--network", "none", BUSYBOX, "true"])).code === 0;
  } catch {
    return false; // no podman binary
  }
}

export const endToEnd: Benchmark = {
  name: "end-to-end",
  title: "End to end (cold process)",
  async run(ctx) {
    const reps = ctx.quick ? 3 : 9;
    const dir = join(ctx.scratch, "end-to-end");
    const dataDir = join(dir, "data");
    mkdirSync(dataDir, { recursive: true });
    const file = writeTaskRun(dir, "echo.yaml", stepsTaskRun("echo", 1, ["echo", "hello"]));
    const timed =
      (argv: string[]): Variant =>
      async () =>
        (await runOk(argv)).ms;
    const run = (...extra: string[]): Variant =>
      timed(tektiteArgv(ctx.repo, "run", "-f", file, "--data-dir", dataDir, ...extra));
    const variants: Record<string, Variant> = {
      node: timed([process.execPath, "-e", "0"]),
      version: timed(tektiteArgv(ctx.repo, "--version")),
      host: run("--executor", "host"),
      hostNone: run("--executor", "host", "--sandbox", "none"),
    };
    const podman = await podmanWorks();
    if (podman) variants["podman"] = run("--executor", "podman", "--pull", "never");
    const t = await sideBySide(variants, reps, (r) => ctx.log(`  end-to-end round ${r}/${reps}`));
    const s = (k: string) => summarize(t[k]!);
    const node = s("node");
    const hostRow = (metric: string, k: string): BenchRow => {
      const x = s(k);
      const met = x.median <= HOST_TARGET_MS;
      return {
        metric,
        target: `≤ ${HOST_TARGET_MS} ms`,
        measured: fmtSummary(x),
        ratio: x.median / HOST_TARGET_MS,
        verdict: met ? "met" : "missed",
        ...(met
          ? {}
          : {
              dominates: `node start-up (${ms(node.median)}) plus loading the bundle from V8's code cache (\`tektite --version\` = ${ms(s("version").median)}), then initialising the run command's modules, the first YAML parse, admission, the engine and the step; see the analysis`,
            }),
        data: { wallMs: rounded(x), overNodeMs: x.median - node.median },
      };
    };
    const rows: BenchRow[] = [
      hostRow("`tektite run`, host executor (default sandbox)", "host"),
      hostRow("`tektite run`, host executor, `--sandbox none`", "hostNone"),
    ];
    if (podman) {
      const x = s("podman");
      rows.push({
        metric: "`tektite run`, podman executor",
        target: "—",
        measured: fmtSummary(x),
        verdict: "info",
        data: { wallMs: rounded(x) },
      });
    }
    rows.push(
      {
        metric: "floor: `node -e 0`",
        target: "—",
        measured: fmtSummary(node),
        verdict: "info",
        data: { wallMs: rounded(node) },
      },
      {
        metric: "`tektite --version`",
        target: "—",
        measured: fmtSummary(s("version")),
        verdict: "info",
        data: { wallMs: rounded(s("version")) },
      },
    );
    return {
      method: `Wall time from spawn to exit of \`tektite run -f <1-step TaskRun running ["echo","hello"]>\`, a new node process each time; ${reps} rounds after a warm-up, variants interleaved. The ratio column is measured / target.`,
      rows,
      notes: podman ? [] : ["podman does not work here: the container variant was skipped."],
    };
  },
};
