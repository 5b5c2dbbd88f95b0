/**
 * `tektite logs taskrun NAME [-f] [-c STEP] [--retry N]` against the server, like `tkn taskrun
 * logs`: reads the TaskRun's pod (`status.podName`) and prints each step container's log in step
 * order, lines prefixed `[step]`. With `-f` it waits for the pod, follows each step as it runs and
 * moves on to the next attempt when the TaskRun retries, ending when the TaskRun is done. Exit 1
 * when the TaskRun has failed.
 */
import { Command, InvalidArgumentError } from "commander";
import type { StepState, TaskRun, TaskRunStatus } from "../../api/types.js";
import { plainOutput } from "../../config/paths.js";
import { ApiStatusError, CommandError } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { KINDS, kindByWord, podLogPath } from "../client/resources.js";
import { getObject, waitForObject } from "../client/watch.js";
import { StepLinePrinter } from "../output/step-lines.js";
import { isFinished, succeededOf } from "../output/tables.js";

interface LogsOptions {
  follow?: boolean;
  step: string[];
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

/** The attempt of a TaskRun whose pod is `podName` (current or archived). */
function attemptOf(tr: TaskRun, podName: string): TaskRunStatus | undefined {
  if (tr.status?.podName === podName) return tr.status;
  return tr.status?.retriesStatus?.find((r) => r.podName === podName);
}

/** Container names of an attempt, in order, filtered by `--step` (sidecars only with `--all`). */
function containersOf(status: TaskRunStatus, opts: LogsOptions): string[] {
  const wanted = (s: StepState): boolean => opts.step.length === 0 || opts.step.includes(s.name);
  const steps = (status.steps ?? []).filter(wanted).map((s) => s.container ?? `step-${s.name}`);
  const sidecars = opts.all ? (status.sidecars ?? []).map((s) => s.container ?? `sidecar-${s.name}`) : [];
  return [...steps, ...sidecars];
}

class TaskRunLogs {
  constructor(
    private readonly client: ApiClient,
    private readonly name: string,
    private readonly opts: LogsOptions,
    private readonly printer: StepLinePrinter,
  ) {}

  private get ns(): string {
    return this.client.namespace;
  }

  /** Prints one attempt's containers; following each one while it runs when `follow`. */
  async printAttempt(podName: string, first: TaskRun, follow: boolean): Promise<void> {
    let tr = first;
    for (let i = 0; ; i++) {
      const attempt = attemptOf(tr, podName);
      const container = attempt !== undefined ? containersOf(attempt, this.opts)[i] : undefined;
      if (container === undefined) return;
      await this.printContainer(podName, container, follow);
      if (follow) tr = await getObject<TaskRun>(this.client, TASKRUN, this.ns, this.name);
    }
  }

  private async printContainer(podName: string, container: string, follow: boolean): Promise<void> {
    const path = podLogPath(this.ns, podName);
    try {
      if (follow) {
        await this.client.stream(path, { query: { container, follow: "true" } }, (chunk) =>
          this.printer.write(container, chunk),
        );
      } else {
        this.printer.write(container, await this.client.text(path, { query: { container } }));
      }
    } catch (err) {
      // A container still waiting to start (400) has no log yet.
      if (!(err instanceof ApiStatusError) || err.code !== 400) throw err;
    } finally {
      this.printer.flush(container);
    }
  }

  /** `-f`: every attempt from the current one on, until the TaskRun is done. */
  async follow(): Promise<TaskRun> {
    let tr = await waitForObject<TaskRun>(
      this.client,
      TASKRUN,
      this.ns,
      this.name,
      (o) => isFinished(o) || hasSteps(o),
    );
    for (;;) {
      const pod = tr.status?.podName;
      if (pod === undefined || pod === "") return tr;
      await this.printAttempt(pod, tr, true);
      tr = await waitForObject<TaskRun>(
        this.client,
        TASKRUN,
        this.ns,
        this.name,
        (o) => isFinished(o) || (o.status?.podName !== pod && hasSteps(o)),
      );
      if (tr.status?.podName === pod) return tr;
      process.stderr.write(
        `retrying: attempt ${tr.status?.retriesStatus?.length ?? 0} in pod ${tr.status?.podName ?? ""}\n`,
      );
    }
  }
}

function hasSteps(tr: TaskRun): boolean {
  return (tr.status?.podName ?? "") !== "" && (tr.status?.steps?.length ?? 0) > 0;
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
  if (isFinished(tr) && succeededOf(tr)?.status !== "True") process.exitCode = 1;
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
  const opts: LogsOptions = { step: [], all: false, prefix: true, follow: true };
  return new TaskRunLogs(client, name, opts, printer).follow();
}

/** The `logs` command. */
export function logsCommand(): Command {
  const cmd = new Command("logs")
    .description("print (-f: follow) the step logs of a taskrun on a tektite server, like tkn taskrun logs")
    .argument("<type>", "taskrun (tr)")
    .argument("<name>", "the TaskRun's name")
    .option("-f, --follow", "follow the logs until the TaskRun is done")
    .option("-c, --step <name>", "only these steps (repeatable, or a,b)", collect, [])
    .option("-a, --all", "include sidecar containers")
    .option("--retry <n>", "the attempt to show (0 is the first; default: the current one)", nonNegativeInt)
    .option("--no-prefix", "do not prefix lines with [step]");
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, name: string, opts: LogsOptions) => action(client, type, name, opts)),
  );
}
