/**
 * `tektite run -f FILE|DIR|-`: admit every document, store the supporting objects, run every
 * TaskRun, PipelineRun (and CustomRun/Run) to completion with live logs, then print a summary (a
 * PipelineRun's children first) or the final objects. Exit 0 when every run of the input
 * succeeded, 1 when any did not, 2 on invalid input, 130 on Ctrl-C.
 */
import { Command, Option } from "commander";
import YAML from "yaml";
import { isRunKind } from "../../api/kinds.js";
import type { KubeObject } from "../../api/types.js";
import { plainOutput, ensureDataDir, resolveDataDir } from "../../config/paths.js";
import { loadCustomTasks } from "../custom-tasks.js";
import { addLimitOptions, runLimits, type LimitOptions } from "../limit-options.js";
import {
  addExecutorOptions,
  createExecutor,
  warmExecutor,
  type ExecutorOptions,
} from "../executor-choice.js";
import {
  addConfigOptions,
  admitSources,
  refuseInvalid,
  resolveConfig,
  type ConfigOptions,
} from "../input.js";
import { LogPrinter, logNameOf } from "../output/log-printer.js";
import { HaltShell, withOnFailureBreakpoint } from "../halt-shell.js";
import { failureDetails, progressLine, summaryTable } from "../output/summary.js";
import { runSession } from "../session.js";
import { exitCodeOfSession } from "../exit-codes.js";
import { UserInputError } from "../errors.js";
import { positiveInt } from "../int-options.js";

interface RunOptions extends ConfigOptions, ExecutorOptions, LimitOptions {
  filename: string[];
  plugin: string[];
  output?: "json" | "yaml";
  dataDir?: string;
  namespace?: string;
  maxParallel?: number;
  timeoutMinutes?: number;
  debug?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-o json|yaml`: one object, or a v1 List when there are several. */
export function renderObjects(objects: KubeObject[], format: "json" | "yaml"): string {
  const doc =
    objects.length === 1 ? objects[0] : { apiVersion: "v1", kind: "List", items: objects, metadata: {} };
  return format === "json" ? JSON.stringify(doc, null, 2) + "\n" : YAML.stringify(doc, { lineWidth: 0 });
}

async function action(opts: RunOptions): Promise<void> {
  const config = resolveConfig(opts);
  if (opts.debug === true && config.features.enableApiFields !== "alpha") {
    process.stderr.write('note: --debug sets enable-api-fields to "alpha" (Tekton\'s gate for spec.debug)\n');
    config.features.enableApiFields = "alpha";
  }
  if (opts.timeoutMinutes !== undefined) config.defaults.defaultTimeoutMinutes = opts.timeoutMinutes;
  const hostEnv = { PATH: process.env["PATH"], HOME: process.env["HOME"] };
  warmExecutor(opts, hostEnv);
  const admission = await admitSources(opts.filename, config, { namespace: opts.namespace });
  for (const note of admission.notes) process.stderr.write(`note: ${note}\n`);
  refuseInvalid(admission);
  refuseNothingToRun(
    opts.filename,
    admission.admitted.map((a) => a.object),
  );
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const customTasks = await loadCustomTasks([...config.plugins, ...opts.plugin]);
  const executor = await createExecutor(opts, hostEnv, [dataDir], true);
  const logOut = opts.output ? process.stderr : process.stdout;
  const plain = plainOutput(logOut.isTTY);
  const printer = new LogPrinter(logOut, !plain);
  const halts = new HaltShell({
    dataDir,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    notice: (text) => process.stderr.write(`${text}\n`),
  });
  const result = await runSession({
    objects: admission.admitted.map((a) =>
      opts.debug === true ? withOnFailureBreakpoint(a.object) : a.object,
    ),
    executor,
    features: config.features,
    defaults: config.defaults,
    resolvers: config.resolvers,
    dataDir,
    limits: runLimits(opts),
    customTasks,
    ...(opts.maxParallel !== undefined ? { maxParallel: opts.maxParallel } : {}),
    onLog: (run, container, chunk) => halts.write(() => printer.write(run, container, chunk)),
    ...(opts.debug === true ? { onStepLog: (ev) => halts.observe(ev) } : {}),
    onRunDone: (run, ms) => {
      printer.flush(logNameOf(run));
      if (!plain) logOut.write(progressLine(run, ms));
    },
    notice: (text) => process.stderr.write(`${text}\n`),
  });
  printer.flush();
  if (opts.output) {
    process.stdout.write(
      renderObjects(
        result.runs.map((r) => r.object),
        opts.output,
      ),
    );
  } else {
    process.stdout.write(
      "\n" +
        summaryTable(
          result.runs.map((r) => r.object),
          result.runs.map((r) => r.durationMs),
        ),
    );
    const details = failureDetails(result.runs.map((r) => r.object));
    if (details) process.stdout.write("\n" + details);
  }
  for (const line of result.problems) process.stderr.write(`${line}\n`);
  process.exitCode = exitCodeOfSession(result);
}

/** A run of nothing is a mistake in the input (no file, or files holding only Tasks or Pipelines). */
function refuseNothingToRun(sources: readonly string[], objects: readonly KubeObject[]): void {
  if (objects.some((o) => isRunKind(o.kind))) return;
  if (sources.length === 0)
    throw new UserInputError("nothing to run: give -f FILE, a directory, or - for stdin");
  throw new UserInputError(
    `nothing to run in ${sources.join(", ")}: no TaskRun, PipelineRun, CustomRun or Run ` +
      "(to run a Task or a Pipeline by itself, use tektite start task|pipeline NAME -f FILE)",
  );
}

export function runCommand(): Command {
  const cmd = new Command("run")
    .description("run every TaskRun, PipelineRun, CustomRun and Run in the given files to completion")
    .requiredOption(
      "-f, --filename <source>",
      "file, directory (recursive) or - for stdin; repeatable",
      collect,
      [],
    )
    .addOption(
      new Option("-o, --output <format>", "print the final objects (logs go to stderr)").choices([
        "json",
        "yaml",
      ]),
    )
    .option("-n, --namespace <ns>", "namespace for objects that do not name one (as kubectl -n)")
    .option("--data-dir <dir>", "where logs, attempt directories and claims are kept")
    .option(
      "--debug",
      "halt failed steps (spec.debug onFailure breakpoint on every TaskRun); on a terminal, open a shell in them",
    )
    .option("--plugin <file>", "load custom-task controllers from a JS module (repeatable)", collect, [])
    .option("--max-parallel <n>", "run at most this many attempts at once", positiveInt)
    .option(
      "--timeout-minutes <n>",
      "default TaskRun timeout (config-defaults default-timeout-minutes)",
      positiveInt,
    );
  addConfigOptions(cmd);
  addExecutorOptions(cmd);
  addLimitOptions(cmd);
  return cmd.action(action);
}
