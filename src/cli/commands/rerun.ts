/**
 * `tektite rerun taskrun|pipelinerun NAME` against the server: creates a new run from the old
 * one's spec (generated name `<name>-r-xxxxx`, see rerun.ts) and follows its logs; the exit code
 * is the new run's (0 when it succeeded).
 */
import { Command } from "commander";
import type { KubeObject } from "../../api/types.js";
import { finishWithRun } from "../exit-codes.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { collectionPath, kindByWord, objectPath } from "../client/resources.js";
import { rerunOf, rerunPrefix } from "../rerun.js";
import { followTaskRunLogs } from "./logs.js";
import { followPipelineRun } from "./start-pipeline.js";

interface RerunOptions {
  showlog: boolean;
}

async function action(client: ApiClient, type: string, name: string, opts: RerunOptions): Promise<void> {
  const k = kindByWord(type, [kindByWord("taskrun"), kindByWord("pipelinerun")]);
  const ns = client.namespace;
  const old = await client.request<KubeObject>("GET", objectPath(k, ns, name));
  const created = await client.request<KubeObject>("POST", collectionPath(k, ns), {
    body: rerunOf(old, rerunPrefix(name)),
  });
  const newName = created.metadata.name ?? "";
  process.stderr.write(`${k.kind} started: ${newName} (rerun of ${name})\n`);
  if (!opts.showlog) {
    process.stderr.write(
      `\nIn order to track the ${k.kind} progress run:\ntektite logs ${k.singular} ${newName} -f -n ${ns}\n`,
    );
    return;
  }
  if (k.kind === "TaskRun") finishWithRun("TaskRun", newName, await followTaskRunLogs(client, newName));
  else await followPipelineRun(client, newName);
}

/** The `rerun` command. */
export function rerunCommand(): Command {
  const cmd = new Command("rerun")
    .description("run a taskrun or pipelinerun again with the same spec, on a tektite server, and follow it")
    .argument("<type>", "taskrun (tr) or pipelinerun (pr)")
    .argument("<name>", "the run to repeat")
    .option("--no-showlog", "do not follow the logs, print how to follow them");
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, name: string, opts: RerunOptions) => action(client, type, name, opts)),
  );
}
