/**
 * Recording an answer to an `Approval` run: the one write path shared by `tektite approve|reject`
 * and (later) the server. The answer lands in `status.extraFields.approversResponse`; the engine's
 * Approval reconciler sees the change and decides.
 *
 * @module
 */
import { isDone, succeededCondition } from "../../api/conditions.js";
import type { Json } from "../../api/types.js";
import { ConflictError, ResourceTypes, type ResourceType, type Store } from "../../store/index.js";
import { runKey, targetOf, type AnyCustomRun } from "../run-view.js";
import {
  APPROVAL_API_VERSION,
  APPROVAL_KIND,
  ApprovalState,
  approvalFieldsOf,
  type ApproverResponse,
} from "./approval.js";

/** An answer. */
export interface ApprovalInput {
  user: string;
  decision: "approve" | "reject";
  message?: string;
  /** Groups the user belongs to, matched against `group:<name>` approvers. */
  groups?: readonly string[];
}

/** Why an answer was refused. */
export const ApprovalErrorReason = {
  NotFound: "NotFound",
  NotAnApproval: "NotAnApproval",
  NotStarted: "NotStarted",
  AlreadyDone: "AlreadyDone",
  NotAnApprover: "NotAnApprover",
  InvalidInput: "InvalidInput",
} as const;
/** One of {@link ApprovalErrorReason}'s values. */
export type ApprovalErrorReason = (typeof ApprovalErrorReason)[keyof typeof ApprovalErrorReason];

/** An answer that could not be recorded. */
export class ApprovalError extends Error {
  override readonly name = "ApprovalError";

  constructor(
    readonly reason: ApprovalErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link recordApproval}. */
export interface RecordApprovalOptions {
  /** Which kind to look in; default: CustomRun, then Run. */
  kind?: "CustomRun" | "Run";
  /** Time of the answer (default now). */
  now?: Date;
}

function find(
  store: Store,
  ns: string,
  name: string,
  kind: RecordApprovalOptions["kind"],
): { type: ResourceType; run: AnyCustomRun } | undefined {
  const types =
    kind === "Run"
      ? [ResourceTypes.Run]
      : kind === "CustomRun"
        ? [ResourceTypes.CustomRun]
        : [ResourceTypes.CustomRun, ResourceTypes.Run];
  for (const type of types) {
    const run = store.get<AnyCustomRun>(type, ns, name);
    if (run !== undefined) return { type, run };
  }
  return undefined;
}

function mayAnswer(approvers: readonly string[], input: ApprovalInput): boolean {
  if (approvers.length === 0) return true;
  return approvers.some((a) =>
    a.startsWith("group:") ? (input.groups ?? []).includes(a.slice(6)) : a === input.user,
  );
}

/**
 * Records `input` on the Approval run `ns/name` and returns the updated run. A user's new answer
 * replaces their earlier one. Throws {@link ApprovalError} when the run is missing, is not an
 * Approval, has not started, is already done, or the user is not among its approvers.
 */
export function recordApproval(
  store: Store,
  ns: string,
  name: string,
  input: ApprovalInput,
  opts: RecordApprovalOptions = {},
): AnyCustomRun {
  if (input.user.trim() === "")
    throw new ApprovalError(ApprovalErrorReason.InvalidInput, "a user name is required");
  if (input.decision !== "approve" && input.decision !== "reject") {
    throw new ApprovalError(
      ApprovalErrorReason.InvalidInput,
      `decision must be "approve" or "reject", got "${String(input.decision)}"`,
    );
  }
  for (let i = 0; i < 20; i++) {
    const found = find(store, ns, name, opts.kind);
    if (found === undefined)
      throw new ApprovalError(
        ApprovalErrorReason.NotFound,
        `${opts.kind ?? "CustomRun"} "${name}" not found in namespace "${ns}"`,
      );
    const { type, run } = found;
    const label = `${run.kind} "${runKey(run).name}"`;
    const target = targetOf(run);
    if (target?.apiVersion !== APPROVAL_API_VERSION || target.kind !== APPROVAL_KIND) {
      throw new ApprovalError(
        ApprovalErrorReason.NotAnApproval,
        `${label} is not an ${APPROVAL_KIND} (${APPROVAL_API_VERSION}) run`,
      );
    }
    if (isDone(run)) {
      const c = succeededCondition(run.status);
      throw new ApprovalError(
        ApprovalErrorReason.AlreadyDone,
        `${label} is already done (${c?.reason ?? c?.status ?? "done"})`,
      );
    }
    const fields = approvalFieldsOf(run);
    if (fields === undefined)
      throw new ApprovalError(ApprovalErrorReason.NotStarted, `${label} has not started yet`);
    if (!mayAnswer(fields.approvers, input)) {
      throw new ApprovalError(
        ApprovalErrorReason.NotAnApprover,
        `user "${input.user}" is not an approver of ${label} (approvers: ${fields.approvers.join(", ")})`,
      );
    }
    const response: ApproverResponse = {
      name: input.user,
      response: input.decision === "approve" ? "approved" : "rejected",
      ...(input.message !== undefined && input.message !== "" ? { message: input.message } : {}),
      time: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
    const responses = [...fields.approversResponse.filter((r) => r.name !== input.user), response];
    const extraFields = {
      ...fields,
      approvalState: ApprovalState.Pending,
      approversResponse: responses,
    } as unknown as Json;
    try {
      return store.update(
        type,
        { ...run, status: { ...run.status, extraFields } },
        { subresource: "status" },
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  throw new ApprovalError(ApprovalErrorReason.InvalidInput, `${name}: status update kept conflicting`);
}
