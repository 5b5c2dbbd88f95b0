/**
 * `tektite cancel taskrun|pipelinerun|customrun|run NAME` against the server, like `tkn taskrun cancel`:
 * a merge patch setting `spec.status` to `TaskRunCancelled` (TaskRun), `Cancelled` (PipelineRun) or
 * `RunCancelled` (CustomRun, Run). A run that has already finished is an error (exit 1).
 * `--grace CancelledRunFinally|StoppedRunFinally` cancels a PipelineRun gracefully, as
 * `tkn pipelinerun cancel --grace` does: its finally tasks still run.
 */
import { Command, Option } from "commander";
import { UserInputError } from "../errors.js";
import { GracefulPipelineRunStop, cancelSpecStatus } from "../../api/cancel.js";
import type { KubeObject } from "../../api/types.js";
import { CommandError } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { KINDS, kindByWord, objectPath } from "../client/resources.js";
import { getObject } from "../client/watch.js";
import { conditionText, isFinished, succeededOf } from "../output/tables.js";

const CANCELLABLE = KINDS.filter((k) => k.isRun);

interface CancelOptions {
  grace?: GracefulPipelineRunStop;
}

async function action(client: ApiClient, type: string, names: string[], opts: CancelOptions): Promise<void> {
  const k = kindByWord(type, CANCELLABLE);
  if (opts.grace !== undefined && k.kind !== "PipelineRun") {
    throw new UserInputError(`--grace applies to pipelineruns only, not ${k.plural}`);
  }
  const status = opts.grace ?? cancelSpecStatus(k.kind);
  if (status === undefined) throw new UserInputError(`${k.plural} cannot be cancelled`);
  for (const name of names) {
    const run = await getObject<KubeObject>(client, k, client.namespace, name);
    if (isFinished(run)) {
      throw new CommandError(
        `failed to cancel ${k.kind} "${name}": it has already finished (${conditionText(succeededOf(run))})`,
      );
    }
    await client.request("PATCH", objectPath(k, client.namespace, name), {
      body: { spec: { status } },
      contentType: "application/merge-patch+json",
    });
    process.stdout.write(`${k.kind} cancelled: ${name}\n`);
  }
}

/** The `cancel` command. */
export function cancelCommand(): Command {
  const cmd = new Command("cancel")
    .description(
      "cancel running taskruns, pipelineruns, customruns or runs on a tektite server (like tkn taskrun cancel)",
    )
    .argument("<type>", "taskrun (tr), pipelinerun (pr), customrun (cr) or run")
    .argument("<names...>", "the runs' names")
    .addOption(
      new Option(
        "--grace <status>",
        "cancel a PipelineRun gracefully: CancelledRunFinally (cancel running tasks, then run finally) or StoppedRunFinally (let running tasks finish, then run finally)",
      ).choices(GracefulPipelineRunStop),
    );
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, names: string[], opts: CancelOptions) =>
      action(client, type, names, opts),
    ),
  );
}
