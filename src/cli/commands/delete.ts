/**
 * `tektite delete taskrun|customrun|run|task NAME…` (or `--all`, optionally with `-l`) against
 * the server, printing `taskrun.tekton.dev "x" deleted` as kubectl does. A name that is not
 * found is reported and the others are still deleted (exit 1). For TaskRuns and PipelineRuns,
 * `--keep N` / `--keep-since D` delete the completed runs beyond the N most recent / completed
 * longer ago, as tkn's flags do (running runs, and TaskRuns of a running PipelineRun, are left).
 */
import { Command } from "commander";
import { Kinds } from "../../api/kinds.js";
import { runsToPrune, type RetentionPolicy } from "../../api/retention.js";
import { retentionFromFlags } from "../retention-flags.js";
import type { KubeObject } from "../../api/types.js";
import { ApiStatusError, statusText } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import {
  collectionPath,
  kindByWord,
  objectPath,
  qualifiedSingular,
  type ResourceKind,
} from "../client/resources.js";
import { UserInputError } from "../errors.js";
import { failWith } from "../exit-codes.js";
import { nonNegativeInt } from "../int-options.js";

interface DeleteOptions {
  all?: boolean;
  selector?: string;
  keep?: number;
  keepSince?: string;
}

function policyOf(opts: DeleteOptions): RetentionPolicy {
  return retentionFromFlags(opts);
}

interface RunObject extends KubeObject {
  status?: { startTime?: string; completionTime?: string };
}

/** TaskRuns whose PipelineRun is still running are left to it (tkn's --ignore-running-pipelinerun). */
function ownerRunning(run: RunObject, pipelineRuns: Map<string, RunObject>): boolean {
  const owner = (run.metadata.ownerReferences ?? []).find((r) => r["kind"] === "PipelineRun");
  if (owner === undefined) return false;
  return pipelineRuns.get(String(owner["name"]))?.status?.completionTime === undefined;
}

async function deleteKept(client: ApiClient, k: ResourceKind, opts: DeleteOptions): Promise<void> {
  if (k !== Kinds.TaskRun && k !== Kinds.PipelineRun)
    throw new UserInputError("--keep and --keep-since apply to taskruns and pipelineruns");
  const policy = policyOf(opts);
  const list = async (kind: ResourceKind, selector?: string): Promise<RunObject[]> =>
    (
      await client.request<{ items?: RunObject[] }>("GET", collectionPath(kind, client.namespace), {
        query: { labelSelector: selector },
      })
    ).items ?? [];
  const runs = await list(k, opts.selector);
  const parents =
    k === Kinds.TaskRun
      ? new Map((await list(Kinds.PipelineRun)).map((p) => [p.metadata.name ?? "", p]))
      : new Map();
  const candidates = runs
    .filter((r) => !ownerRunning(r, parents))
    .map((r) => ({
      name: r.metadata.name ?? "",
      startTime: r.status?.startTime,
      completionTime: r.status?.completionTime,
      creationTimestamp: r.metadata.creationTimestamp,
    }));
  const doomed = runsToPrune(candidates, policy, new Date());
  if (doomed.length === 0) {
    process.stderr.write(`No resources found to delete in ${client.namespace} namespace.\n`);
    return;
  }
  for (const name of doomed) {
    try {
      await client.request("DELETE", objectPath(k, client.namespace, name));
      process.stdout.write(`${qualifiedSingular(k)} "${name}" deleted\n`);
    } catch (err) {
      // Deleted meanwhile (with its PipelineRun, say): nothing left to do for it.
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
    }
  }
}

async function action(client: ApiClient, type: string, names: string[], opts: DeleteOptions): Promise<void> {
  const k = kindByWord(type);
  const what = qualifiedSingular(k);
  if (opts.keep !== undefined || opts.keepSince !== undefined) {
    if (names.length > 0 || opts.all)
      throw new UserInputError("give --keep or --keep-since, not names or --all");
    return deleteKept(client, k, opts);
  }
  if (opts.all || opts.selector !== undefined) {
    if (names.length > 0) throw new UserInputError("give names, or --all / -l, not both");
    const list = await client.request<{ items?: KubeObject[] }>(
      "DELETE",
      collectionPath(k, client.namespace),
      {
        query: { labelSelector: opts.selector },
      },
    );
    const items = list.items ?? [];
    if (items.length === 0) process.stderr.write(`No resources found in ${client.namespace} namespace.\n`);
    for (const o of items) process.stdout.write(`${what} "${o.metadata.name ?? ""}" deleted\n`);
    return;
  }
  if (names.length === 0) throw new UserInputError("give the names to delete, or --all");
  for (const name of names) {
    try {
      await client.request("DELETE", objectPath(k, client.namespace, name));
      process.stdout.write(`${what} "${name}" deleted\n`);
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
      failWith(statusText(err, client.conn.server));
    }
  }
}

/** The `delete` command. */
export function deleteCommand(): Command {
  const cmd = new Command("delete")
    .alias("rm")
    .description(
      "delete taskruns, pipelineruns, customruns, runs, tasks or pipelines on a tektite server (like kubectl delete)",
    )
    .argument("<type>", "taskrun (tr), customrun (cr), run or task")
    .argument("[names...]", "the objects' names")
    .option("--all", "delete every object of the type in the namespace")
    .option("-l, --selector <selector>", "delete the objects matching a label selector")
    .option("--keep <n>", "delete all but the n most recently started completed runs", nonNegativeInt)
    .option(
      "--keep-since <duration>",
      "delete the runs completed longer ago than this (minutes, or a duration such as 24h)",
    );
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, names: string[], opts: DeleteOptions) =>
      action(client, type, names, opts),
    ),
  );
}
