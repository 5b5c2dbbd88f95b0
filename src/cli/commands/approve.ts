/**
 * `tektite approve NAME` / `tektite reject NAME`: answer an `Approval` custom run
 * (`approval.tektite.dev/v1alpha1`). With a server configured (`--remote`, the connection flags,
 * `$TEKTITE_SERVER` or a kubeconfig), the answer goes through its API: the run is read, the pure
 * decision ({@link answeredStatus}) gives its new status, and that is written back to the status
 * subresource. With `--data-dir`, or no server, it is recorded in that data directory's store
 * by {@link recordApproval}.
 */
import { Command, Option } from "commander";
import { userInfo } from "node:os";
import {
  ApprovalError,
  ApprovalErrorReason,
  answeredStatus,
  type ApprovalInput,
} from "../../customtasks/builtins/approval-answer.js";
import { recordApproval } from "../../customtasks/builtins/approval-record.js";
import { approvalFieldsOf } from "../../customtasks/builtins/approval.js";
import type { AnyCustomRun } from "../../customtasks/run-view.js";
import { resolveDataDir } from "../../config/paths.js";
import { openSqliteStore, type Store } from "../../store/index.js";
import { ApiStatusError, ClientConfigError, errorText } from "../client/errors.js";
import { ApiClient } from "../client/http.js";
import { addConnectionOptions, resolveConnection, type ConnectionOptions } from "../client/options.js";
import { kindByWord, objectPath, type ResourceKind } from "../client/resources.js";
import { UserInputError } from "../errors.js";
import { failWith } from "../exit-codes.js";

/** What the commands need from their surroundings (tests and the server pass their own). */
export interface ApprovalCommandDeps {
  /** Opens the store to record into (default: the SQLite store in the data directory). */
  openStore?: (dataDir: string) => Store;
  /** The default user name (default: the OS user). */
  defaultUser?: () => string;
  /** Where the confirmation goes (default stdout). */
  write?: (text: string) => void;
}

/** Arguments of one answer. */
export interface ApprovalRequest {
  name: string;
  namespace: string;
  decision: ApprovalInput["decision"];
  user: string;
  message?: string;
  groups?: string[];
  kind?: "CustomRun" | "Run";
}

/** Records the answer and returns the confirmation line, e.g. `customrun/deploy-gate approved by alice (1 of 2)`. */
export function answerApproval(store: Store, req: ApprovalRequest): string {
  const run = recordApproval(
    store,
    req.namespace,
    req.name,
    {
      user: req.user,
      decision: req.decision,
      ...(req.message !== undefined ? { message: req.message } : {}),
      ...(req.groups !== undefined ? { groups: req.groups } : {}),
    },
    req.kind !== undefined ? { kind: req.kind } : {},
  );
  return confirmation(run, req);
}

interface CommandOptions extends ConnectionOptions {
  remote?: boolean;
  message?: string;
  user?: string;
  group: string[];
  kind?: "CustomRun" | "Run";
  dataDir?: string;
}

function build(decision: ApprovalInput["decision"], deps: ApprovalCommandDeps): Command {
  const verb = decision === "approve" ? "approve" : "reject";
  const cmd = new Command(verb)
    .description(`${verb} an Approval custom run (approval.tektite.dev/v1alpha1)`)
    .argument("<name>", "the CustomRun (or Run) name")
    .exitOverride()
    .showHelpAfterError()
    .option("-m, --message <message>", `why you ${verb}`)
    .option("--user <name>", "who answers (default: the current OS user)")
    .option("--group <group>", "a group you belong to, for group:<name> approvers; repeatable", collect, [])
    .addOption(new Option("--kind <kind>", "look only at this kind").choices(["CustomRun", "Run"]))
    .option(
      "--remote",
      "answer through the server; an error when none is configured (default: the server when one is configured, else the data directory)",
    )
    .option(
      "--data-dir <dir>",
      "record directly in this data directory's store (only while no `tektite serve` uses it)",
    );
  addConnectionOptions(cmd);
  return cmd.action(async (name: string, opts: CommandOptions) => {
    const user = opts.user ?? (deps.defaultUser ?? (() => userInfo().username))();
    const write = deps.write ?? ((t: string) => void process.stdout.write(t));
    const base = {
      name,
      decision,
      user,
      ...(opts.message !== undefined ? { message: opts.message } : {}),
      ...(opts.group.length > 0 ? { groups: opts.group } : {}),
      ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
    };
    const client =
      deps.openStore === undefined && opts.dataDir === undefined ? serverClient(opts) : undefined;
    try {
      if (client !== undefined) {
        write(await answerApprovalRemotely(client, { ...base, namespace: client.namespace }));
        return;
      }
      const store = (deps.openStore ?? ((dir: string) => openSqliteStore(dir)))(resolveDataDir(opts.dataDir));
      try {
        write(answerApproval(store, { ...base, namespace: opts.namespace ?? "default" }));
      } finally {
        if (deps.openStore === undefined) store.close();
      }
    } catch (err) {
      if (err instanceof ApprovalError && err.reason === ApprovalErrorReason.InvalidInput)
        throw new UserInputError(err.message);
      if (client === undefined) throw err;
      const text =
        err instanceof ApprovalError ? `error: ${err.message}` : errorText(err, client.conn.server);
      if (text === undefined) throw err;
      failWith(text);
    }
  });
}

/**
 * The server to answer through: when `--remote` or a connection flag is given, the one they name
 * (a bad connection is then an input error); otherwise the configured one, if any.
 */
function serverClient(opts: CommandOptions): ApiClient | undefined {
  const explicit =
    opts.remote === true ||
    [opts.server, opts.context, opts.kubeconfig, opts.token, opts.certificateAuthority].some(
      (v) => v !== undefined,
    );
  try {
    return new ApiClient(resolveConnection(opts));
  } catch (err) {
    if (!(err instanceof ClientConfigError)) throw err;
    if (explicit) throw new UserInputError(err.message);
    return undefined; // no server configured: use the data directory
  }
}

/** The confirmation line, e.g. `customrun/deploy-gate approved by alice (1 of 2)`. */
function confirmation(run: Pick<AnyCustomRun, "kind" | "status">, req: ApprovalRequest): string {
  const fields = approvalFieldsOf(run);
  const approvals = fields?.approversResponse.filter((r) => r.response === "approved").length ?? 0;
  const verb = req.decision === "approve" ? "approved" : "rejected";
  const progress =
    req.decision === "approve" && fields ? ` (${approvals} of ${fields.numberOfApprovalsRequired})` : "";
  return `${run.kind.toLowerCase()}/${req.name} ${verb} by ${req.user}${progress}\n`;
}

async function fetchRun(
  client: ApiClient,
  req: ApprovalRequest,
): Promise<{ kind: ResourceKind; run: AnyCustomRun }> {
  const kinds = (req.kind !== undefined ? [req.kind] : (["CustomRun", "Run"] as const)).map((k) =>
    kindByWord(k.toLowerCase()),
  );
  let last: unknown;
  for (const kind of kinds) {
    try {
      return {
        kind,
        run: await client.request<AnyCustomRun>("GET", objectPath(kind, req.namespace, req.name)),
      };
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
      last = err;
    }
  }
  throw last;
}

/**
 * Records the answer on the server: reads the run, decides its new status, and writes it to the
 * status subresource under the read `resourceVersion` (read again on a conflict).
 */
export async function answerApprovalRemotely(client: ApiClient, req: ApprovalRequest): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const { kind, run } = await fetchRun(client, req);
    const status = answeredStatus(run, req, new Date());
    try {
      const updated = await client.request<AnyCustomRun>(
        "PUT",
        `${objectPath(kind, req.namespace, req.name)}/status`,
        {
          body: { ...run, status },
        },
      );
      return confirmation(updated, req);
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 409 || attempt >= 5) throw err;
    }
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Builds `tektite approve`. */
export function approveCommand(deps: ApprovalCommandDeps = {}): Command {
  return build("approve", deps);
}

/** Builds `tektite reject`. */
export function rejectCommand(deps: ApprovalCommandDeps = {}): Command {
  return build("reject", deps);
}
