/**
 * `tektite describe taskrun|pipelinerun|customrun|run|task|pipeline NAME` against the server, like `tkn … describe`:
 * fields, status, params, results, workspaces, steps, sidecars and retries (`-o json|yaml`
 * prints the object instead).
 */
import { Command, Option } from "commander";
import type { KubeObject, Task, TaskRun } from "../../api/types.js";
import type { AnyCustomRun } from "../../customtasks/run-view.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { collectionPath, kindByWord } from "../client/resources.js";
import type { Pipeline, PipelineRun } from "../../api/pipeline-types.js";
import { PipelineLabel } from "../../api/reasons.js";
import { describePipeline, describePipelineRun } from "../output/describe-pipeline.js";
import { getObject } from "../client/watch.js";
import { describeCustomRun, describeTaskRun, paramText } from "../output/describe.js";
import { renderTable } from "../output/tables.js";
import { renderGet, type GetFormat } from "./get.js";

const TASKRUN = kindByWord("taskrun");
const CUSTOMRUN = kindByWord("customrun");

interface DescribeOptions {
  output?: Exclude<GetFormat, "name">;
}

function describeTask(task: Task): string {
  const params = (task.spec.params ?? []).map((p) => [
    p.name,
    p.type ?? "string",
    p.default !== undefined ? paramText(p.default) : "---",
  ]);
  const steps = (task.spec.steps ?? []).map((s, i) => [s.name ?? `unnamed-${i}`, s.image ?? "---"]);
  let out = `Name:        ${task.metadata.name ?? ""}\nNamespace:   ${task.metadata.namespace ?? "default"}\n`;
  if (task.spec.description) out += `Description: ${task.spec.description}\n`;
  out += `\nParams\n\n${params.length > 0 ? renderTable([[" NAME", "TYPE", "DEFAULT"], ...params.map((r) => [` ∙ ${r[0] ?? ""}`, ...r.slice(1)])]) : "No params\n"}`;
  out += `\nSteps\n\n${steps.length > 0 ? renderTable([[" NAME", "IMAGE"], ...steps.map((r) => [` ∙ ${r[0] ?? ""}`, r[1] ?? ""])]) : "No steps\n"}`;
  return out;
}

async function action(client: ApiClient, type: string, name: string, opts: DescribeOptions): Promise<void> {
  const k = kindByWord(type);
  const obj = await getObject<KubeObject>(client, k, client.namespace, name);
  if (opts.output !== undefined) {
    process.stdout.write(renderGet(k, [obj], opts.output, true));
    return;
  }
  const now = new Date();
  if (k.kind === "TaskRun") process.stdout.write(describeTaskRun(obj as TaskRun, now));
  else if (k.kind === "PipelineRun") {
    const children = await client.request<{ items?: KubeObject[] }>(
      "GET",
      collectionPath(TASKRUN, client.namespace),
      {
        query: { labelSelector: `${PipelineLabel.PipelineRun}=${name}` },
      },
    );
    const custom = await client.request<{ items?: KubeObject[] }>(
      "GET",
      collectionPath(CUSTOMRUN, client.namespace),
      {
        query: { labelSelector: `${PipelineLabel.PipelineRun}=${name}` },
      },
    );
    process.stdout.write(
      describePipelineRun(obj as PipelineRun, [...(children.items ?? []), ...(custom.items ?? [])], now),
    );
  } else if (k.kind === "Pipeline") process.stdout.write(describePipeline(obj as Pipeline));
  else if (k.kind === "Task") process.stdout.write(describeTask(obj as Task));
  else process.stdout.write(describeCustomRun({ ...obj, kind: k.kind } as AnyCustomRun, now));
}

/** The `describe` command. */
export function describeCommand(): Command {
  const cmd = new Command("describe")
    .alias("desc")
    .description(
      "show a taskrun, pipelinerun, customrun, run, task or pipeline on a tektite server in detail (like tkn … describe)",
    )
    .argument("<type>", "taskrun (tr), pipelinerun (pr), customrun (cr), run, task or pipeline (p)")
    .argument("<name>", "the object's name")
    .addOption(new Option("-o, --output <format>", "print the object instead").choices(["json", "yaml"]));
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, name: string, opts: DescribeOptions) =>
      action(client, type, name, opts),
    ),
  );
}
