/**
 * `tektite logs taskrun NAME [-f] [-c STEP] [--retry N]` against the server, like `tkn taskrun
 * logs`: reads the TaskRun's pod (`status.podName`) and prints each step container's log in step
 * order, lines prefixed `[step]`. With `-f` it waits for the pod, follows each step as it runs and
 * moves on to the next attempt when the TaskRun retries, ending when the TaskRun is done. Exit 1
 * when the TaskRun has failed. `tektite logs pipelinerun NAME [-f] [-t TASK]` prints the logs of
 * its child TaskRuns in creation order, lines prefixed `[task/step]` (`pipelinerun-logs.ts`).
 */
import { Command, InvalidArgumentError } from "commander";
import type { TaskRun } from "../../api/types.js";
import { plainOutput } from "../../config/paths.js";
import { CommandError } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { KINDS, kindByWord } from "../client/resources.js";
import { getObject } from "../client/watch.js";
import { followPipelineRunLogs, printPipelineRunLogs } from "../client/pipelinerun-logs.js";
import { TaskRunLogs } from "../client/taskrun-logs.js";
import { UserInputError } from "../errors.js";
import { exitCodeOfRun } from "../exit-codes.js";
import { StepLinePrinter } from "../output/step-lines.js";
import { isFinished, succeededOf } from "../output/tables.js";

interface LogsOptions {
  follow?: boolean;
  step: string[];
  /** PipelineRuns: only these pipeline tasks. */
  task: string[];
  all?: boolean;
  retry?: number;
  /** False with `--no-prefix`. */
  prefix: boolean;
}

const TASKRUN = kindByWord("taskrun");
const LOG_KINDS = KINDS.filter((k) => k.isRun);

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").filter((s) => s !== "")];
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an attempt number (0, 1, …)");
  return n;
}

function noPodError(tr: TaskRun): CommandError {
  const c = succeededOf(tr);
  const why = c?.message ? `: ${c.reason ?? ""}: ${c.message}` : "";
  return isFinished(tr)
    ? new CommandError(`TaskRun "${tr.metadata.name ?? ""}" has no pod, so no logs${why}`)
    : new CommandError(
        `TaskRun "${tr.metadata.name ?? ""}" has not started yet; use -f to wait for its logs`,
      );
}

async function action(client: ApiClient, type: string, name: string, opts: LogsOptions): Promise<void> {
  const k = kindByWord(type, LOG_KINDS);
  if (k.kind === "PipelineRun") return pipelineRunAction(client, name, opts);
  if (k.kind !== "TaskRun") {
    throw new CommandError(
      `logs of ${k.kind}s are not served by the tektite API yet (only TaskRun step logs are); use \`tektite describe ${k.singular} ${name}\` for its status and results`,
    );
  }
  const printer = new StepLinePrinter(process.stdout, {
    colour: !plainOutput(process.stdout.isTTY),
    prefix: opts.prefix,
  });
  const logs = new TaskRunLogs(client, name, opts, printer);
  let tr = await getObject<TaskRun>(client, TASKRUN, client.namespace, name);
  if (opts.retry !== undefined) {
    const attempts = [...(tr.status?.retriesStatus ?? []), ...(tr.status?.podName ? [tr.status] : [])];
    const attempt = attempts[opts.retry];
    if (attempt?.podName === undefined)
      throw new CommandError(`TaskRun "${name}" has no attempt ${opts.retry} (it has ${attempts.length})`);
    await logs.printAttempt(attempt.podName, tr, opts.follow === true && attempt === tr.status);
    tr = await getObject<TaskRun>(client, TASKRUN, client.namespace, name);
  } else if (opts.follow) {
    tr = await logs.follow();
    if (!tr.status?.podName) throw noPodError(tr);
  } else {
    const pod = tr.status?.podName;
    if (pod === undefined || pod === "") throw noPodError(tr);
    await logs.printAttempt(pod, tr, false);
  }
  if (isFinished(tr)) process.exitCode = exitCodeOfRun(tr);
}

/** `logs pipelinerun`: every child TaskRun's steps, `[task/step]`; exit 1 when it failed. */
async function pipelineRunAction(client: ApiClient, name: string, opts: LogsOptions): Promise<void> {
  if (opts.retry !== undefined) throw new UserInputError("--retry applies to taskruns only");
  const printer = new StepLinePrinter(process.stdout, {
    colour: !plainOutput(process.stdout.isTTY),
    prefix: opts.prefix,
  });
  const sel = { step: opts.step, tasks: opts.task, ...(opts.all ? { all: true } : {}) };
  const pr = opts.follow
    ? await followPipelineRunLogs(client, name, sel, printer)
    : await printPipelineRunLogs(client, name, sel, printer);
  if (isFinished(pr)) process.exitCode = exitCodeOfRun(pr);
}

/**
 * Follows every attempt of a TaskRun until it is done, printing its steps' lines; returns the
 * final TaskRun (for `tektite start task --remote`).
 */
export async function followTaskRunLogs(client: ApiClient, name: string): Promise<TaskRun> {
  const printer = new StepLinePrinter(process.stdout, {
    colour: !plainOutput(process.stdout.isTTY),
    prefix: true,
  });
  const opts: LogsOptions = { step: [], task: [], all: false, prefix: true, follow: true };
  return new TaskRunLogs(client, name, opts, printer).follow();
}

/** The `logs` command. */
export function logsCommand(): Command {
  const cmd = new Command("logs")
    .description(
      "print (-f: follow) the step logs of a taskrun or pipelinerun on a tektite server, like tkn taskrun|pipelinerun logs",
    )
    .argument("<type>", "taskrun (tr) or pipelinerun (pr)")
    .argument("<name>", "the run's name")
    .option("-f, --follow", "follow the logs until the run is done")
    .option("-c, --step <name>", "only these steps (repeatable, or a,b)", collect, [])
    .option("-t, --task <name>", "pipelineruns: only these pipeline tasks (repeatable, or a,b)", collect, [])
    .option("-a, --all", "include sidecar containers")
    .option("--retry <n>", "the attempt to show (0 is the first; default: the current one)", nonNegativeInt)
    .option("--no-prefix", "do not prefix lines with [step] (pipelineruns: [task/step])");
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, name: string, opts: LogsOptions) => action(client, type, name, opts)),
  );
}
