/**
 * `tektite start task NAME -f FILE -p k=v -w …`, like `tkn task start`: builds a TaskRun for a
 * Task found in the given files and runs it (logs always shown; the exit code is the run's).
 */
import { succeededCondition } from "../../api/conditions.js";
import { Command } from "commander";
import type { KubeObject, Param, Task, TaskRun, WorkspaceBinding } from "../../api/types.js";
import { FieldValidation, admit } from "../../api/admission.js";
import { plainOutput, ensureDataDir, resolveDataDir } from "../../config/paths.js";
import { ClientConfigError, errorText } from "../client/errors.js";
import { ApiClient } from "../client/http.js";
import { resolveConnection } from "../client/options.js";
import { UserInputError } from "../errors.js";
import { followTaskRunLogs } from "./logs.js";
import { addLimitOptions, runLimits, type LimitOptions } from "../limit-options.js";
import { addExecutorOptions, createExecutor, type ExecutorOptions } from "../executor-choice.js";
import {
  addConfigOptions,
  admitSources,
  refuseInvalid,
  resolveConfig,
  type ConfigOptions,
} from "../input.js";
import { LogPrinter, logNameOf } from "../output/log-printer.js";
import { failureDetails, summaryTable } from "../output/summary.js";
import { runSession } from "../session.js";
import { exitCodeFor, renderObjects } from "./run.js";

interface StartOptions extends ConfigOptions, ExecutorOptions, LimitOptions {
  filename: string[];
  remote?: boolean;
  server?: string;
  token?: string;
  kubeconfig?: string;
  insecureSkipTlsVerify?: boolean;
  param: string[];
  workspace: string[];
  serviceaccount?: string;
  timeout?: string;
  namespace: string;
  output?: "json" | "yaml";
  dataDir?: string;
  dryRun?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-p name=value`; `-p name=a,b,c` is an array when the Task declares the param as an array. */
export function parseParam(raw: string, task: Task): Param {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new UserInputError(`param ${JSON.stringify(raw)}: expected NAME=VALUE`);
  const name = raw.slice(0, eq);
  const value = raw.slice(eq + 1);
  const spec = task.spec.params?.find((p) => p.name === name);
  if (spec?.type === "array") return { name, value: value === "" ? [] : value.split(",") };
  if (spec?.type === "object") {
    const obj: Record<string, string> = {};
    for (const kv of value.split(",")) {
      const i = kv.indexOf(":");
      if (i <= 0) throw new UserInputError(`param ${name}: object values are key:value,key:value`);
      obj[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return { name, value: obj };
  }
  return { name, value };
}

/**
 * `-w name=ws,emptyDir=` / `-w name=ws,claimName=pvc[,subPath=x]` / `-w name=ws,config=cm` /
 * `-w name=ws,secret=s` (tkn's syntax), and the short forms `-w ws=emptyDir`, `-w ws=pvc=NAME`.
 */
export function parseWorkspace(raw: string): WorkspaceBinding {
  const short = /^([^=,]+)=(emptyDir|pvc=([^,]+))$/.exec(raw);
  if (short) {
    const name = short[1]!;
    return short[3] ? { name, persistentVolumeClaim: { claimName: short[3] } } : { name, emptyDir: {} };
  }
  const fields = new Map<string, string>();
  for (const part of raw.split(",")) {
    const i = part.indexOf("=");
    if (i <= 0)
      throw new UserInputError(`workspace ${JSON.stringify(raw)}: expected name=NAME,<source>=VALUE`);
    fields.set(part.slice(0, i), part.slice(i + 1));
  }
  const name = fields.get("name");
  if (!name) throw new UserInputError(`workspace ${JSON.stringify(raw)}: missing name=`);
  const b: WorkspaceBinding = { name };
  const subPath = fields.get("subPath");
  if (subPath) b.subPath = subPath;
  if (fields.has("emptyDir")) b.emptyDir = {};
  else if (fields.get("claimName")) b.persistentVolumeClaim = { claimName: fields.get("claimName")! };
  else if (fields.get("config")) b.configMap = { name: fields.get("config")! };
  else if (fields.get("secret")) b.secret = { secretName: fields.get("secret")! };
  else throw new UserInputError(`workspace ${name}: give one of emptyDir=, claimName=, config=, secret=`);
  return b;
}

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
  const params = opts.param.map((p) => parseParam(p, task));
  if (params.length > 0) tr.spec.params = params;
  const workspaces = opts.workspace.map(parseWorkspace);
  if (workspaces.length > 0) tr.spec.workspaces = workspaces;
  if (opts.serviceaccount) tr.spec.serviceAccountName = opts.serviceaccount;
  if (opts.timeout) tr.spec.timeout = opts.timeout;
  return tr;
}

async function action(kind: string, taskName: string, opts: StartOptions): Promise<void> {
  if (kind !== "task")
    throw new UserInputError(`cannot start ${JSON.stringify(kind)}: only "task" can be started`);
  if (opts.remote || opts.server !== undefined) return startRemotely(taskName, opts);
  if (opts.filename.length === 0)
    throw new UserInputError("give the Task's file with -f, or start it on a server with --remote");
  const config = resolveConfig(opts);
  const admission = await admitSources(opts.filename, config);
  refuseInvalid(admission);
  const objects = admission.admitted
    .map((a) => a.object)
    .filter((o) => !["TaskRun", "CustomRun", "Run"].includes(o.kind));
  const task = objects.find((o): o is Task => o.kind === "Task" && o.metadata.name === taskName);
  if (task === undefined)
    throw new UserInputError(`Task ${JSON.stringify(taskName)} not found in the given files`);
  const built = admit(
    buildTaskRun(task, { ...opts, namespace: task.metadata.namespace ?? opts.namespace }),
    config.features,
    config.defaults,
    { fieldValidation: FieldValidation.Strict },
  );
  if ("error" in built) throw new UserInputError(`TaskRun for ${taskName}: ${built.error}`);
  if (opts.dryRun) {
    process.stdout.write(renderObjects([built.object], opts.output ?? "yaml"));
    return;
  }
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const executor = await createExecutor(opts, { PATH: process.env["PATH"], HOME: process.env["HOME"] }, [
    dataDir,
  ]);
  const logOut = opts.output ? process.stderr : process.stdout;
  const printer = new LogPrinter(logOut, !plainOutput(logOut.isTTY));
  const result = await runSession({
    objects: [...objects, built.object as KubeObject],
    executor,
    features: config.features,
    defaults: config.defaults,
    resolvers: config.resolvers,
    dataDir,
    limits: runLimits(opts),
    onLog: (run, container, chunk) => printer.write(run, container, chunk),
    onRunDone: (run) => printer.flush(logNameOf(run)),
    notice: (text) => process.stderr.write(`${text}\n`),
  });
  const runs = result.runs.map((r) => r.object);
  if (opts.output) process.stdout.write(renderObjects(runs, opts.output));
  else {
    const table = summaryTable(
      runs,
      result.runs.map((r) => r.durationMs),
    );
    process.stdout.write("\n" + table + (failureDetails(runs) ? "\n" + failureDetails(runs) : ""));
  }
  process.exitCode = exitCodeFor(result);
}

export function startCommand(): Command {
  const cmd = new Command("start")
    .description("start a Task from the given files, like `tkn task start` (builds the TaskRun for you)")
    .argument("<kind>", "what to start: task")
    .argument("<name>", "the Task's name")
    .option("-f, --filename <source>", "file or directory holding the Task (and what it needs)", collect, [])
    .option(
      "--remote",
      "start the Task stored in `tektite serve` (kubeconfig, $TEKTITE_SERVER) and follow its logs",
    )
    .option("--server <url>", "with --remote: API server URL")
    .option("--token <token>", "with --remote: bearer token")
    .option("--kubeconfig <file>", "with --remote: kubeconfig file")
    .option("--insecure-skip-tls-verify", "with --remote: do not verify the server certificate")
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
    .option("-s, --serviceaccount <name>", "serviceAccountName of the TaskRun")
    .option("--timeout <duration>", "TaskRun timeout (Go duration)")
    .option("-n, --namespace <ns>", "namespace of the TaskRun", "default")
    .option("--showlog", "show logs (always on; accepted for tkn compatibility)")
    .option("--dry-run", "print the TaskRun instead of running it")
    .option("-o, --output <format>", "json or yaml: print the final TaskRun")
    .option("--data-dir <dir>", "where logs, attempt directories and claims are kept");
  addConfigOptions(cmd);
  addExecutorOptions(cmd);
  addLimitOptions(cmd);
  return cmd.action(action);
}

/** `--remote`: the Task is read from the server, the TaskRun created there and followed. */
async function startRemotely(taskName: string, opts: StartOptions): Promise<void> {
  let client: ApiClient;
  try {
    client = new ApiClient(
      resolveConnection({
        namespace: opts.namespace,
        ...(opts.server !== undefined ? { server: opts.server } : {}),
        ...(opts.token !== undefined ? { token: opts.token } : {}),
        ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof ClientConfigError) throw new UserInputError(err.message);
    throw err;
  }
  try {
    const base = `/apis/tekton.dev/v1/namespaces/${opts.namespace}`;
    const task = await client.request<Task>("GET", `${base}/tasks/${taskName}`);
    const created = await client.request<TaskRun>("POST", `${base}/taskruns`, {
      body: buildTaskRun(task, opts),
    });
    const name = created.metadata.name ?? "";
    process.stderr.write(`TaskRun started: ${name}\n`);
    const done = await followTaskRunLogs(client, name);
    const c = succeededCondition(done.status);
    if (c?.status !== "True") {
      process.stderr.write(`TaskRun ${name} ${c?.reason ?? "did not succeed"}: ${c?.message ?? ""}\n`);
      process.exitCode = 1;
    }
  } catch (err) {
    const text = errorText(err, client.conn.server);
    if (text === undefined) throw err;
    process.stderr.write(`${text}\n`);
    process.exitCode = 1;
  }
}
