/**
 * What `tektite start task` and `tektite start pipeline` share: their options, tkn's `-p` and
 * `-w` syntax, connecting to a server for `--remote`, and running the built run locally as
 * `tektite run` would.
 */
import type { KubeObject, Param, ParamSpec, WorkspaceBinding } from "../../api/types.js";
import { plainOutput, ensureDataDir, resolveDataDir } from "../../config/paths.js";
import { ClientConfigError } from "../client/errors.js";
import { ApiClient } from "../client/http.js";
import { resolveConnection, type ConnectionOptions } from "../client/options.js";
import { UserInputError } from "../errors.js";
import { runLimits, type LimitOptions } from "../limit-options.js";
import { createExecutor, type ExecutorOptions } from "../executor-choice.js";
import { FieldValidation, admit } from "../../api/admission.js";
import { isRunKind } from "../../api/kinds.js";
import { admitSources, refuseInvalid, resolveConfig, type ConfigOptions } from "../input.js";
import { LogPrinter, logNameOf } from "../output/log-printer.js";
import { failureDetails, summaryTable } from "../output/summary.js";
import { runSession } from "../session.js";
import { renderObjects } from "./run.js";
import { exitCodeOfSession } from "../exit-codes.js";

/** Options shared by `start task` and `start pipeline`. */
export interface StartOptions extends ConfigOptions, ExecutorOptions, LimitOptions, ConnectionOptions {
  filename: string[];
  remote?: boolean;
  param: string[];
  workspace: string[];
  serviceaccount?: string;
  timeout?: string;
  output?: "json" | "yaml";
  dataDir?: string;
  dryRun?: boolean;
  /** `--last`: reuse the latest TaskRun's spec (remote). */
  last?: boolean;
  /** `--use-taskrun NAME`: reuse that TaskRun's spec (remote). */
  useTaskrun?: string;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-p name=value`; `-p name=a,b,c` is an array when the param is declared as an array. */
export function parseParam(raw: string, declared: readonly ParamSpec[] | undefined): Param {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new UserInputError(`param ${JSON.stringify(raw)}: expected NAME=VALUE`);
  const name = raw.slice(0, eq);
  const value = raw.slice(eq + 1);
  const spec = declared?.find((p) => p.name === name);
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

/** Runs the built run with the objects it needs, as `tektite run` would; sets the exit code. */
/**
 * `start task|pipeline` from files: admits the files, finds the named `kind` among them, builds its
 * run with `build`, admits that strictly, then prints it (`--dry-run`) or runs it locally.
 */
export async function startFromFiles<T extends KubeObject>(
  kind: "Task" | "Pipeline",
  name: string,
  opts: StartOptions & { dryRun?: boolean; output?: string },
  build: (found: T, namespace: string) => KubeObject,
): Promise<void> {
  if (opts.filename.length === 0)
    throw new UserInputError(`give the ${kind}'s file with -f, or start it on a server with --remote`);
  const config = resolveConfig(opts);
  const admission = await admitSources(opts.filename, config);
  refuseInvalid(admission);
  const objects = admission.admitted.map((a) => a.object).filter((o) => !isRunKind(o.kind));
  const found = objects.find((o): o is T => o.kind === kind && o.metadata.name === name);
  if (found === undefined)
    throw new UserInputError(`${kind} ${JSON.stringify(name)} not found in the given files`);
  const built = admit(
    build(found, found.metadata.namespace ?? opts.namespace ?? "default"),
    config.features,
    config.defaults,
    { fieldValidation: FieldValidation.Strict },
  );
  if ("error" in built) throw new UserInputError(`${kind}Run for ${name}: ${built.error}`);
  if (opts.dryRun === true) {
    process.stdout.write(renderObjects([built.object], opts.output ?? "yaml"));
    return;
  }
  await runStartedLocally(objects, built.object, opts, config);
}

export async function runStartedLocally(
  objects: KubeObject[],
  built: KubeObject,
  opts: StartOptions,
  config: ReturnType<typeof resolveConfig>,
): Promise<void> {
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const hostEnv = { PATH: process.env["PATH"], HOME: process.env["HOME"] };
  const executor = await createExecutor(opts, hostEnv, [dataDir], true);
  const logOut = opts.output ? process.stderr : process.stdout;
  const printer = new LogPrinter(logOut, !plainOutput(logOut.isTTY));
  const result = await runSession({
    objects: [...objects, built],
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
  process.exitCode = exitCodeOfSession(result);
}

/** The API client for `--remote` (the shared connection flags). */
export function remoteClient(opts: StartOptions): ApiClient {
  try {
    return new ApiClient(resolveConnection(opts));
  } catch (err) {
    if (err instanceof ClientConfigError) throw new UserInputError(err.message);
    throw err;
  }
}
