/**
 * `npm run bench`: measures tektite against the physical floor of this machine and records the
 * figures in docs/benchmarks.md and docs/benchmarks.json.
 *
 *   npm run build && npm run bench -- [--only <name>[,<name>…]] [--quick]
 *
 * Benchmarks (one file each in scripts/bench/): host-steps, container-steps, end-to-end,
 * throughput, api, memory, pipelines. Each runs several times after a warm-up and reports median, min and
 * max; comparisons are ratios measured side by side in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { api } from "./bench/api.js";
import { containerSteps } from "./bench/container-steps.js";
import { dashboard } from "./bench/dashboard.js";
import { endToEnd } from "./bench/end-to-end.js";
import { hostSteps } from "./bench/host-steps.js";
import { describeMachine } from "./bench/machine.js";
import { memory } from "./bench/memory.js";
import { pipelines } from "./bench/pipelines.js";
import { merge, readPrevious, writeReport, type RecordedResult } from "./bench/report.js";
import { throughput } from "./bench/throughput.js";
import type { BenchContext, Benchmark } from "./bench/types.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SUITE: Benchmark[] = [
  hostSteps,
  containerSteps,
  endToEnd,
  throughput,
  api,
  memory,
  pipelines,
  dashboard,
];

interface Args {
  only?: string[];
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") args.quick = true;
    else if (a === "--only")
      args.only = [...(args.only ?? []), ...(argv[++i] ?? "").split(",").filter(Boolean)];
    else if (a.startsWith("--only="))
      args.only = [...(args.only ?? []), ...a.slice(7).split(",").filter(Boolean)];
    else if (a === "--help" || a === "-h") {
      process.stdout.write(
        `usage: npm run bench -- [--only ${SUITE.map((b) => b.name).join("|")}[,…]] [--quick]\n`,
      );
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  const unknown = (args.only ?? []).filter((n) => !SUITE.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark(s): ${unknown.join(", ")}; known: ${SUITE.map((b) => b.name).join(", ")}\n`,
    );
    process.exit(2);
  }
  return args;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const scratch = mkdtempSync(join(tmpdir(), "tektite-bench-"));
  const ctx: BenchContext = {
    repo,
    scratch,
    quick: args.quick,
    cores: availableParallelism(),
    log: (l) => process.stderr.write(`${l}\n`),
  };
  const machine = describeMachine(repo);
  const selected = SUITE.filter((b) => args.only === undefined || args.only.includes(b.name));
  const fresh: RecordedResult[] = [];
  try {
    for (const b of selected) {
      ctx.log(`== ${b.name}: ${b.title}`);
      const t0 = performance.now();
      let partial;
      try {
        partial = await b.run(ctx);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        ctx.log(`  failed: ${msg}`);
        partial = {
          method: "",
          rows: [{ metric: b.title, target: "—", measured: "—", verdict: "blocked" as const }],
          notes: [`Failed: ${msg}`],
        };
      }
      fresh.push({
        ...partial,
        name: b.name,
        title: b.title,
        seconds: (performance.now() - t0) / 1000,
        date: new Date().toISOString(),
        command,
        quick: args.quick,
        machine,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const jsonPath = join(repo, "docs", "benchmarks.json");
  const all = merge(
    readPrevious(jsonPath),
    fresh,
    SUITE.map((b) => b.name),
  );
  writeReport(join(repo, "docs", "benchmarks.md"), jsonPath, all);
  for (const r of fresh) {
    for (const row of r.rows)
      if (row.verdict !== "info")
        process.stdout.write(`${r.name}: ${row.metric}: ${row.measured} [${row.verdict}]\n`);
  }
  process.stdout.write(`wrote docs/benchmarks.md and docs/benchmarks.json\n`);
}

await main();
