/**
 * `tektite start task NAME -f FILE -p k=v -w …`, like `tkn task start`: builds a TaskRun for a
 * Task found in the given files and runs it (logs always shown; the exit code is the run's).
 * `tektite start pipeline` does the same for a Pipeline (`start-pipeline.ts`).
 */
import { Command } from "commander";
import type { Task, TaskRun } from "../../api/types.js";
import { CommandError, errorText } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { latestOf, rerunOf } from "../rerun.js";
import { UserInputError } from "../errors.js";
import { failWith, finishWithRun } from "../exit-codes.js";
import { followTaskRunLogs } from "./logs.js";
import { addLimitOptions } from "../limit-options.js";
import { addExecutorOptions } from "../executor-choice.js";
import { addConfigOptions } from "../input.js";
import { addConnectionOptions } from "../client/options.js";
import { renderObjects } from "./run.js";
import {
  collect,
  parseParam,
  parseWorkspace,
  remoteClient,
  startFromFiles,
  type StartOptions,
} from "./start-common.js";
import { startPipeline, type PipelineStartOptions } from "./start-pipeline.js";

export function buildTaskRun(
  task: Task,
  opts: Pick<StartOptions, "param" | "workspace" | "serviceaccount" | "timeout" | "namespace">,
): TaskRun {
  const name = task.metadata.name ?? "";
  const tr: TaskRun = {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { generateName: `${name}-run-`, namespace: opts.namespace },
    spec: { taskRef: { name, kind: "Task" } },
  };
  const params = opts.param.map((p) => parseParam(p, task.spec.params));
  if (params.length > 0) tr.spec.params = params;
  const workspaces = opts.workspace.map(parseWorkspace);
  if (workspaces.length > 0) tr.spec.workspaces = workspaces;
  if (opts.serviceaccount) tr.spec.serviceAccountName = opts.serviceaccount;
  if (opts.timeout) tr.spec.timeout = opts.timeout;
  return tr;
}

async function action(
  kind: string,
  taskName: string,
  opts: StartOptions & PipelineStartOptions,
): Promise<void> {
  if (kind === "pipeline" || kind === "p") return startPipeline(taskName, opts);
  if (kind !== "task")
    throw new UserInputError(`cannot start ${JSON.stringify(kind)}: "task" or "pipeline" can be started`);
  if (opts.remote || opts.server !== undefined) return startRemotely(taskName, opts);
  if (opts.last === true || opts.useTaskrun !== undefined)
    throw new UserInputError("--last and --use-taskrun repeat a TaskRun stored on a server: add --remote");
  await startFromFiles<Task>("Task", taskName, opts, (task, namespace) =>
    buildTaskRun(task, { ...opts, namespace }),
  );
}

export function startCommand(): Command {
  const cmd = new Command("start")
    .description(
      "start a Task or Pipeline from the given files, like `tkn task|pipeline start` (builds the TaskRun or PipelineRun for you)",
    )
    .argument("<kind>", "what to start: task or pipeline")
    .argument("<name>", "the Task's or Pipeline's name")
    .option("-f, --filename <source>", "file or directory holding it (and what it needs)", collect, [])
    .option(
      "--remote",
      "start the one stored in `tektite serve` (kubeconfig, $TEKTITE_SERVER) and follow its logs",
    )
    .option(
      "-p, --param <name=value>",
      "a param value (array: a,b,c; object: k:v,k:v); repeatable",
      collect,
      [],
    )
    .option(
      "-w, --workspace <binding>",
      "name=ws,emptyDir= | name=ws,claimName=pvc | ws=emptyDir | ws=pvc=NAME; repeatable",
      collect,
      [],
    )
    .option("-s, --serviceaccount <name>", "serviceAccountName of the run (pipelines: of every TaskRun)")
    .option(
      "--task-serviceaccount <task=name>",
      "pipelines: serviceAccountName of one pipeline task's TaskRuns; repeatable",
      collect,
      [],
    )
    .option("--timeout <duration>", "TaskRun timeout (Go duration)")
    .option("--pipeline-timeout <duration>", "pipelines: timeouts.pipeline (Go duration)")
    .option("--tasks-timeout <duration>", "pipelines: timeouts.tasks (Go duration)")
    .option("--finally-timeout <duration>", "pipelines: timeouts.finally (Go duration)")
    .option("--use-param-defaults", "use declared defaults for params not given (tektite never prompts)")
    .option(
      "--prefix-name <prefix>",
      "pipelines: generateName prefix of the PipelineRun (default: <pipeline>-run-)",
    )
    .option("-l, --labels <key=value>", "pipelines: a label of the PipelineRun; repeatable", collect, [])
    .option("--showlog", "show logs (the default)")
    .option("--no-showlog", "with --remote: do not follow the logs, print how to follow them")
    .option("--dry-run", "print the TaskRun or PipelineRun instead of running it")
    .option(
      "--last",
      "with --remote: reuse the spec of the Task's latest TaskRun (-p/-w/-s/--timeout override it)",
    )
    .option("--use-taskrun <name>", "with --remote: reuse the spec of this TaskRun of the Task")
    .option("-o, --output <format>", "json or yaml: print the final runs")
    .option("--data-dir <dir>", "where logs, attempt directories and claims are kept");
  addConnectionOptions(cmd, { shortServerFlag: false });
  addConfigOptions(cmd);
  addExecutorOptions(cmd);
  addLimitOptions(cmd);
  return cmd.action(action);
}

/** `--remote`: the Task is read from the server, the TaskRun created there and followed. */
async function startRemotely(taskName: string, given: StartOptions): Promise<void> {
  const client = remoteClient(given);
  const opts = { ...given, namespace: client.namespace };
  try {
    const base = `/apis/tekton.dev/v1/namespaces/${opts.namespace}`;
    const task = await client.request<Task>("GET", `${base}/tasks/${taskName}`);
    const body = (await fromEarlierRun(client, base, task, opts)) ?? buildTaskRun(task, opts);
    if (opts.dryRun) {
      process.stdout.write(renderObjects([body], opts.output ?? "yaml"));
      return;
    }
    const created = await client.request<TaskRun>("POST", `${base}/taskruns`, { body });
    const name = created.metadata.name ?? "";
    process.stderr.write(`TaskRun started: ${name}\n`);
    finishWithRun("TaskRun", name, await followTaskRunLogs(client, name));
  } catch (err) {
    const text = errorText(err, client.conn.server);
    if (text === undefined) throw err;
    failWith(text);
  }
}

/**
 * `--last` / `--use-taskrun`: a TaskRun from an earlier run's spec (tkn's behaviour), with the
 * params, workspaces, service account and timeout given on the command line taking precedence.
 */
async function fromEarlierRun(
  client: ApiClient,
  base: string,
  task: Task,
  opts: StartOptions,
): Promise<TaskRun | undefined> {
  const taskName = task.metadata.name ?? "";
  if (opts.useTaskrun === undefined && opts.last !== true) return undefined;
  let old: TaskRun | undefined;
  if (opts.useTaskrun !== undefined) {
    old = await client.request<TaskRun>("GET", `${base}/taskruns/${encodeURIComponent(opts.useTaskrun)}`);
  } else {
    const list = await client.request<{ items: TaskRun[] }>("GET", `${base}/taskruns`, {
      query: { labelSelector: `tekton.dev/task=${taskName}` },
    });
    old = latestOf(list.items);
    if (old === undefined) throw new CommandError(`no TaskRun of Task "${taskName}" to reuse with --last`);
  }
  const tr = rerunOf(old, `${taskName}-run-`);
  const given = buildTaskRun(task, opts).spec;
  const byName = <T extends { name: string }>(
    base: T[] | undefined,
    over: T[] | undefined,
  ): T[] | undefined => {
    if (over === undefined) return base;
    const names = new Set(over.map((x) => x.name));
    return [...(base ?? []).filter((x) => !names.has(x.name)), ...over];
  };
  const params = byName(tr.spec.params, given.params);
  const workspaces = byName(tr.spec.workspaces, given.workspaces);
  if (params !== undefined) tr.spec.params = params;
  if (workspaces !== undefined) tr.spec.workspaces = workspaces;
  if (given.serviceAccountName !== undefined) tr.spec.serviceAccountName = given.serviceAccountName;
  if (given.timeout !== undefined) tr.spec.timeout = given.timeout;
  return tr;
}
