/**
 * Runs Tekton's own TaskRun or PipelineRun examples through `tektite run` and judges each as
 * Tekton's e2e suite does: the first TaskRun (or PipelineRun) created must reach Succeeded=True.
 *
 *   npm run conformance -- [--suite taskruns|pipelineruns] [--executor host|podman|docker]
 *                          [--jobs N] [--json FILE] [--only TEXT] [DIR]
 *
 * DIR defaults to <suite> under $TEKTON_EXAMPLES, else ../shared/conformance/tekton-examples next to
 * the repository: a copy of tektoncd/pipeline's `examples/v1` directory (see test/README.md).
 * Every example runs with the settings of Tekton's alpha CI job (all gates, sidecar-logs results).
 */
import { succeededCondition } from "../src/api/conditions.js";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStandIns, type StandIns } from "./conformance-standins.js";
import { Suite, skipReason } from "./conformance-skips.js";
import { tektonExamples } from "../test/helpers/examples.js";

interface Verdict {
  file: string;
  outcome: "passed" | "failed" | "skipped";
  detail: string;
  seconds: number;
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function parseArgs(argv: string[]): {
  suite: Suite;
  executor: string;
  jobs: number;
  dir: string;
  json?: string;
  only?: string;
} {
  let executor = "host";
  let jobs = 2;
  let json: string | undefined;
  let only: string | undefined;
  let suite: Suite = Suite.TaskRuns;
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--executor") executor = argv[++i] ?? executor;
    else if (a === "--jobs") jobs = Number(argv[++i] ?? jobs);
    else if (a === "--json") json = argv[++i];
    else if (a === "--only") only = argv[++i];
    else if (a === "--suite") {
      const s = argv[++i];
      if (s !== Suite.TaskRuns && s !== Suite.PipelineRuns) {
        process.stderr.write(`--suite must be ${Suite.TaskRuns} or ${Suite.PipelineRuns}\n`);
        process.exit(2);
      }
      suite = s;
    } else dir = resolve(a);
  }
  dir ??= tektonExamples(suite);
  return { suite, executor, jobs, dir, ...(json ? { json } : {}), ...(only ? { only } : {}) };
}

function examples(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...examples(p));
    else if (name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

interface RunOutput {
  kind?: string;
  items?: RunOutput[];
  metadata?: { name?: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

/** The run Tekton's harness judges: the first of the suite's kind that was created. */
function firstRun(out: RunOutput, kind: string): RunOutput | undefined {
  if (out.kind === "List") return out.items?.find((i) => i.kind === kind);
  return out.kind === kind ? out : undefined;
}

const JUDGED_KIND: Record<Suite, string> = {
  [Suite.TaskRuns]: "TaskRun",
  [Suite.PipelineRuns]: "PipelineRun",
};

function runOne(
  file: string,
  rel: string,
  suite: Suite,
  executor: string,
  dataDir: string,
  standIns: StandIns,
): Promise<Verdict> {
  const started = Date.now();
  return new Promise((resolveVerdict) => {
    const args = [join(repo, "bin", "tektite.js"), "run", "-f", file, "-o", "json", "--executor", executor];
    args.push(
      "--feature-gate",
      "alpha",
      "--config",
      join(repo, "scripts", "conformance-config.yaml"),
      "--data-dir",
      dataDir,
      ...standIns.args,
    );
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: standIns.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGINT"), 300_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      let verdict: Verdict = {
        file: rel,
        outcome: "failed",
        detail: `exit ${code}: ${lastLine(stderr)}`,
        seconds,
      };
      try {
        const kind = JUDGED_KIND[suite];
        const tr = firstRun(JSON.parse(stdout) as RunOutput, kind);
        const c = succeededCondition(tr?.status);
        if (tr === undefined) verdict = { ...verdict, detail: `no ${kind} created` };
        else if (c?.status === "True") verdict = { file: rel, outcome: "passed", detail: "", seconds };
        else verdict = { ...verdict, detail: `${c?.reason ?? "no condition"}: ${oneLine(c?.message ?? "")}` };
      } catch {
        // stdout was not JSON: the exit code and stderr already describe the failure
      }
      resolveVerdict(verdict);
    });
  });
}

const oneLine = (s: string): string => s.replace(/\s+/g, " ").slice(0, 160);
const lastLine = (s: string): string => oneLine(s.trim().split("\n").slice(-3).join(" "));

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let files: string[];
  try {
    files = examples(opts.dir);
  } catch {
    process.stderr.write(`no examples at ${opts.dir}\n`);
    process.exitCode = 2;
    return;
  }
  if (opts.only) files = files.filter((f) => f.includes(opts.only!));
  const scratch = mkdtempSync(join(tmpdir(), "tektite-conformance-"));
  const standIns = await startStandIns(join(scratch, "stand-ins"));
  const verdicts: Verdict[] = [];
  const queue = files.map((f) => ({ file: f, rel: relative(opts.dir, f) }));
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const reason = skipReason(opts.suite, item.rel, opts.executor);
      if (reason !== undefined) {
        verdicts.push({ file: item.rel, outcome: "skipped", detail: reason, seconds: 0 });
        continue;
      }
      const v = await runOne(
        item.file,
        item.rel,
        opts.suite,
        opts.executor,
        join(scratch, item.rel.replace(/[/.]/g, "_")),
        standIns,
      );
      process.stderr.write(`${v.outcome.padEnd(7)} ${v.file} (${v.seconds.toFixed(1)}s) ${v.detail}\n`);
      verdicts.push(v);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
  await standIns.close();
  rmSync(scratch, { recursive: true, force: true });
  verdicts.sort((a, b) => a.file.localeCompare(b.file));
  const width = Math.max(...verdicts.map((v) => v.file.length));
  for (const v of verdicts)
    process.stdout.write(`${v.file.padEnd(width)}  ${v.outcome.padEnd(7)}  ${v.detail}\n`);
  const count = (o: Verdict["outcome"]): number => verdicts.filter((v) => v.outcome === o).length;
  if (opts.json)
    writeFileSync(
      opts.json,
      JSON.stringify({ suite: opts.suite, executor: opts.executor, verdicts }, null, 2),
    );
  process.stdout.write(
    `\n${opts.suite}, executor ${opts.executor}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped\n`,
  );
  if (count("failed") > 0) process.exitCode = 1;
}

await main();
