/**
 * `tektite delete taskrun|customrun|run|task NAME…` (or `--all`, optionally with `-l`) against
 * the server, printing `taskrun.tekton.dev "x" deleted` as kubectl does. A name that is not
 * found is reported and the others are still deleted (exit 1).
 */
import { Command } from "commander";
import type { KubeObject } from "../../api/types.js";
import { ApiStatusError, statusText } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { collectionPath, kindByWord, objectPath, qualifiedSingular } from "../client/resources.js";
import { UserInputError } from "../errors.js";

interface DeleteOptions {
  all?: boolean;
  selector?: string;
}

async function action(client: ApiClient, type: string, names: string[], opts: DeleteOptions): Promise<void> {
  const k = kindByWord(type);
  const what = qualifiedSingular(k);
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
      process.stderr.write(`${statusText(err, client.conn.server)}\n`);
      process.exitCode = 1;
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
    .option("-l, --selector <selector>", "delete the objects matching a label selector");
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, names: string[], opts: DeleteOptions) =>
      action(client, type, names, opts),
    ),
  );
}
