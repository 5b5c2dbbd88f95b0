/**
 * `tektite start pipeline NAME -f FILE -p k=v -w name=ws,emptyDir=`, like `tkn pipeline start`:
 * builds a PipelineRun for a Pipeline found in the given files (or, with `--remote`, stored on the
 * server) and runs it with its logs shown. tektite never prompts: a param without a default must
 * be given with `-p`.
 */
import type { Pipeline, PipelineRun, PipelineTaskRunSpec } from "../../api/pipeline-types.js";
import { errorText } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { followPipelineRunLogs } from "../client/pipelinerun-logs.js";
import { plainOutput } from "../../config/paths.js";
import { UserInputError } from "../errors.js";
import { failWith, finishWithRun } from "../exit-codes.js";
import { StepLinePrinter } from "../output/step-lines.js";
import { renderObjects } from "./run.js";
import {
  parseParam,
  parseWorkspace,
  remoteClient,
  startFromFiles,
  type StartOptions,
} from "./start-common.js";

/** The options only `start pipeline` reads. */
export interface PipelineStartOptions {
  taskServiceaccount: string[];
  pipelineTimeout?: string;
  tasksTimeout?: string;
  finallyTimeout?: string;
  useParamDefaults?: boolean;
  prefixName?: string;
  labels: string[];
  /** False with `--no-showlog`. */
  showlog?: boolean;
}

function keyValue(raw: string, what: string): [string, string] {
  const i = raw.indexOf("=");
  if (i <= 0) throw new UserInputError(`${what} ${JSON.stringify(raw)}: expected KEY=VALUE`);
  return [raw.slice(0, i), raw.slice(i + 1)];
}

/** The PipelineRun `tkn pipeline start` would create for these options. */
export function buildPipelineRun(
  pipeline: Pipeline,
  opts: Pick<StartOptions, "param" | "workspace" | "serviceaccount" | "namespace"> & PipelineStartOptions,
): PipelineRun {
  const name = pipeline.metadata.name ?? "";
  const declared = pipeline.spec.params ?? [];
  const params = opts.param.map((p) => parseParam(p, declared));
  const missing = declared.filter((d) => d.default === undefined && !params.some((p) => p.name === d.name));
  if (missing.length > 0) {
    throw new UserInputError(
      `Pipeline ${JSON.stringify(name)} needs a value for ${missing.map((m) => JSON.stringify(m.name)).join(", ")}: give it with -p NAME=VALUE (no default is declared)`,
    );
  }
  const pr: PipelineRun = {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { generateName: opts.prefixName ?? `${name}-run-`, namespace: opts.namespace },
    spec: { pipelineRef: { name } },
  };
  if (opts.labels.length > 0)
    pr.metadata.labels = Object.fromEntries(opts.labels.map((l) => keyValue(l, "label")));
  if (params.length > 0) pr.spec.params = params;
  const workspaces = opts.workspace.map(parseWorkspace);
  if (workspaces.length > 0) pr.spec.workspaces = workspaces;
  if (opts.serviceaccount) pr.spec.taskRunTemplate = { serviceAccountName: opts.serviceaccount };
  const taskRunSpecs: PipelineTaskRunSpec[] = opts.taskServiceaccount.map((raw) => {
    const [pipelineTaskName, serviceAccountName] = keyValue(raw, "task service account");
    return { pipelineTaskName, serviceAccountName };
  });
  if (taskRunSpecs.length > 0) pr.spec.taskRunSpecs = taskRunSpecs;
  const timeouts = {
    ...(opts.pipelineTimeout ? { pipeline: opts.pipelineTimeout } : {}),
    ...(opts.tasksTimeout ? { tasks: opts.tasksTimeout } : {}),
    ...(opts.finallyTimeout ? { finally: opts.finallyTimeout } : {}),
  };
  if (Object.keys(timeouts).length > 0) pr.spec.timeouts = timeouts;
  return pr;
}

/** `start pipeline`: locally from files, or on the server with `--remote`. */
export async function startPipeline(name: string, opts: StartOptions & PipelineStartOptions): Promise<void> {
  if (opts.remote || opts.server !== undefined) return startRemotely(name, opts);
  await startFromFiles<Pipeline>("Pipeline", name, opts, (pipeline, namespace) =>
    buildPipelineRun(pipeline, { ...opts, namespace }),
  );
}

/** Follows a PipelineRun's logs to its end; exit code 1 unless it succeeded. */
export async function followPipelineRun(client: ApiClient, name: string): Promise<void> {
  const printer = new StepLinePrinter(process.stdout, {
    colour: !plainOutput(process.stdout.isTTY),
    prefix: true,
  });
  finishWithRun(
    "PipelineRun",
    name,
    await followPipelineRunLogs(client, name, { step: [], tasks: [] }, printer),
  );
}

/** `--remote`: the Pipeline is read from the server, the PipelineRun created there and followed. */
async function startRemotely(
  pipelineName: string,
  given: StartOptions & PipelineStartOptions,
): Promise<void> {
  const client = remoteClient(given);
  const opts = { ...given, namespace: client.namespace };
  try {
    const base = `/apis/tekton.dev/v1/namespaces/${encodeURIComponent(opts.namespace)}`;
    const pipeline = await client.request<Pipeline>(
      "GET",
      `${base}/pipelines/${encodeURIComponent(pipelineName)}`,
    );
    const pr = buildPipelineRun(pipeline, opts);
    if (opts.dryRun) {
      process.stdout.write(renderObjects([pr], opts.output ?? "yaml"));
      return;
    }
    const created = await client.request<PipelineRun>("POST", `${base}/pipelineruns`, { body: pr });
    const name = created.metadata.name ?? "";
    process.stderr.write(`PipelineRun started: ${name}\n`);
    if (opts.showlog === false) {
      process.stderr.write(
        `\nIn order to track the PipelineRun progress run:\ntektite logs pipelinerun ${name} -f -n ${opts.namespace}\n`,
      );
      return;
    }
    await followPipelineRun(client, name);
  } catch (err) {
    const text = errorText(err, client.conn.server);
    if (text === undefined) throw err;
    failWith(text);
  }
}
