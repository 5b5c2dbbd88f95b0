/**
 * `tektite approve NAME` / `tektite reject NAME`: answer an `Approval` custom run
 * (`approval.tektite.dev/v1alpha1`). The answer is recorded by {@link recordApproval} against a
 * store; for now the store is the data directory's (`tektite serve`'s SQLite file). The server
 * will expose the same `recordApproval` call, and these commands will then talk to it.
 */
import { Command, Option } from "commander";
import { userInfo } from "node:os";
import { ApprovalError, recordApproval, type ApprovalInput } from "../../customtasks/builtins/approval-record.js";
import { approvalFieldsOf } from "../../customtasks/builtins/approval.js";
import { resolveDataDir } from "../../config/paths.js";
import { openSqliteStore, type Store } from "../../store/index.js";
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
  const progress = req.decision === "approve" && fields ? ` (${approvals} of ${fields.numberOfApprovalsRequired})` : "";
  return `${run.kind.toLowerCase()}/${req.name} ${verb} by ${req.user}${progress}\n`;
}

interface CommandOptions {
  namespace: string;
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
    .option("--data-dir <dir>", "tektite data directory (default: $TEKTITE_DATA_DIR or ~/.local/share/tektite)")
    .action((name: string, opts: CommandOptions) => {
      const user = opts.user ?? (deps.defaultUser ?? (() => userInfo().username))();
      const store = (deps.openStore ?? ((dir: string) => openSqliteStore(dir)))(resolveDataDir(opts.dataDir));
      try {
        const line = answerApproval(store, {
          name,
          namespace: opts.namespace,
          decision,
          user,
          ...(opts.message !== undefined ? { message: opts.message } : {}),
          ...(opts.group.length > 0 ? { groups: opts.group } : {}),
          ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
        });
        (deps.write ?? ((t: string) => process.stdout.write(t)))(line);
      } catch (err) {
        if (err instanceof ApprovalError && err.reason === "InvalidInput") throw new UserInputError(err.message);
        throw err;
      } finally {
        if (deps.openStore === undefined) store.close();
      }
    });
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
