/**
 * `tektite approve NAME` / `tektite reject NAME`: answer an `Approval` custom run
 * (`approval.tektite.dev/v1alpha1`). With a server configured (kubeconfig, `--server`), the answer
 * goes through its API, because the server owns its store; with `--data-dir`, or no server, it is
 * recorded directly in that data directory's store by {@link recordApproval}.
 */
import { Command, Option } from "commander";
import { userInfo } from "node:os";
import { ApprovalError, type ApprovalInput } from "../../customtasks/builtins/approval-answer.js";
import { recordApproval } from "../../customtasks/builtins/approval-record.js";
import { approvalFieldsOf } from "../../customtasks/builtins/approval.js";
import { resolveDataDir } from "../../config/paths.js";
import type { KubeObject } from "../../api/types.js";
import { ResourceTypes, openMemoryStore, openSqliteStore, type Store } from "../../store/index.js";
import { ApiStatusError, ClientConfigError, errorText } from "../client/errors.js";
import { ApiClient } from "../client/http.js";
import { resolveConnection } from "../client/options.js";
import { UserInputError } from "../errors.js";

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
  const fields = approvalFieldsOf(run);
  const approvals = fields?.approversResponse.filter((r) => r.response === "approved").length ?? 0;
  const verb = req.decision === "approve" ? "approved" : "rejected";
  const progress =
    req.decision === "approve" && fields ? ` (${approvals} of ${fields.numberOfApprovalsRequired})` : "";
  return `${run.kind.toLowerCase()}/${req.name} ${verb} by ${req.user}${progress}\n`;
}

interface CommandOptions {
  namespace: string;
  server?: string;
  token?: string;
  kubeconfig?: string;
  insecureSkipTlsVerify?: boolean;
  message?: string;
  user?: string;
  group: string[];
  kind?: "CustomRun" | "Run";
  dataDir?: string;
}

function build(decision: ApprovalInput["decision"], deps: ApprovalCommandDeps): Command {
  const verb = decision === "approve" ? "approve" : "reject";
  return new Command(verb)
    .description(`${verb} an Approval custom run (approval.tektite.dev/v1alpha1)`)
    .argument("<name>", "the CustomRun (or Run) name")
    .exitOverride()
    .showHelpAfterError()
    .option("-n, --namespace <namespace>", "namespace of the run", "default")
    .option("-m, --message <message>", `why you ${verb}`)
    .option("--user <name>", "who answers (default: the current OS user)")
    .option("--group <group>", "a group you belong to, for group:<name> approvers; repeatable", collect, [])
    .addOption(new Option("--kind <kind>", "look only at this kind").choices(["CustomRun", "Run"]))
    .option(
      "--data-dir <dir>",
      "record directly in this data directory's store (only while no `tektite serve` uses it)",
    )
    .option("-k, --kubeconfig <file>", "kubeconfig of the server (default: $KUBECONFIG, else ~/.kube/config)")
    .option("-s, --server <url>", "API server URL (also $TEKTITE_SERVER)")
    .option("--token <token>", "bearer token (also $TEKTITE_TOKEN)")
    .option("--insecure-skip-tls-verify", "do not verify the server certificate")
    .action(async (name: string, opts: CommandOptions) => {
      const user = opts.user ?? (deps.defaultUser ?? (() => userInfo().username))();
      const req: ApprovalRequest = {
        name,
        namespace: opts.namespace,
        decision,
        user,
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(opts.group.length > 0 ? { groups: opts.group } : {}),
        ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
      };
      const client =
        deps.openStore === undefined && opts.dataDir === undefined ? serverClient(opts) : undefined;
      if (client !== undefined) {
        try {
          (deps.write ?? ((t: string) => process.stdout.write(t)))(await answerApprovalRemotely(client, req));
        } catch (err) {
          if (err instanceof ApprovalError && err.reason === "InvalidInput")
            throw new UserInputError(err.message);
          const text =
            err instanceof ApprovalError ? `error: ${err.message}` : errorText(err, client.conn.server);
          if (text === undefined) throw err;
          process.stderr.write(`${text}\n`);
          process.exitCode = 1;
        }
        return;
      }
      const store = (deps.openStore ?? ((dir: string) => openSqliteStore(dir)))(resolveDataDir(opts.dataDir));
      try {
        const line = answerApproval(store, req);
        (deps.write ?? ((t: string) => process.stdout.write(t)))(line);
      } catch (err) {
        if (err instanceof ApprovalError && err.reason === "InvalidInput")
          throw new UserInputError(err.message);
        throw err;
      } finally {
        if (deps.openStore === undefined) store.close();
      }
    });
}

/** The server to answer through, when one is configured (flags, environment or kubeconfig). */
function serverClient(opts: CommandOptions): ApiClient | undefined {
  try {
    return new ApiClient(
      resolveConnection({
        namespace: opts.namespace,
        ...(opts.server !== undefined ? { server: opts.server } : {}),
        ...(opts.token !== undefined ? { token: opts.token } : {}),
        ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof ClientConfigError) return undefined; // no server configured: use the data directory
    throw err;
  }
}

const PATHS = {
  CustomRun: { version: "v1beta1", plural: "customruns", type: ResourceTypes.CustomRun },
  Run: { version: "v1alpha1", plural: "runs", type: ResourceTypes.Run },
} as const;

async function fetchRun(
  client: ApiClient,
  req: ApprovalRequest,
): Promise<{ kind: "CustomRun" | "Run"; run: KubeObject }> {
  const kinds = req.kind !== undefined ? [req.kind] : (["CustomRun", "Run"] as const);
  let last: unknown;
  for (const kind of kinds) {
    const p = PATHS[kind];
    try {
      const run = await client.request<KubeObject>(
        "GET",
        `/apis/tekton.dev/${p.version}/namespaces/${req.namespace}/${p.plural}/${req.name}`,
      );
      return { kind, run };
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
      last = err;
    }
  }
  throw last;
}

/** Records the answer on the server; returns the confirmation line. */
export async function answerApprovalRemotely(client: ApiClient, req: ApprovalRequest): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const { kind, run } = await fetchRun(client, req);
    const p = PATHS[kind];
    const scratch = openMemoryStore();
    let line: string;
    let status: unknown;
    try {
      const { resourceVersion: _rv, uid: _uid, ...meta } = run.metadata;
      scratch.create(p.type, { ...run, metadata: meta });
      const copy = scratch.get<KubeObject>(p.type, req.namespace, req.name)!;
      scratch.update(p.type, { ...copy, status: run["status"] }, { subresource: "status" });
      line = answerApproval(scratch, { ...req, kind });
      status = scratch.get<KubeObject>(p.type, req.namespace, req.name)?.["status"];
    } finally {
      scratch.close();
    }
    try {
      await client.request(
        "PUT",
        `/apis/tekton.dev/${p.version}/namespaces/${req.namespace}/${p.plural}/${req.name}/status`,
        {
          body: { ...run, status },
        },
      );
      return line;
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
