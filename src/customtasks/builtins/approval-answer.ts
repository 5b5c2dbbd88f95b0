/**
 * Answering an `Approval` run, as a pure decision: given the run and an answer, the status to
 * write (or an {@link ApprovalError} saying why not). The store path (`approval-record.ts`) and
 * the dashboard, which writes through the API, both use it.
 *
 * @module
 */
import type { CustomRunStatus, Json } from "../../api/types.js";
import { isDone, succeededCondition } from "../../api/conditions.js";
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

/** Throws {@link ApprovalError} (InvalidInput) for an answer without a user or with an unknown decision. */
export function checkApprovalInput(input: ApprovalInput): void {
  if (input.user.trim() === "")
    throw new ApprovalError(ApprovalErrorReason.InvalidInput, "a user name is required");
  if (input.decision !== "approve" && input.decision !== "reject") {
    throw new ApprovalError(
      ApprovalErrorReason.InvalidInput,
      `decision must be "approve" or "reject", got "${String(input.decision)}"`,
    );
  }
}

function mayAnswer(approvers: readonly string[], input: ApprovalInput): boolean {
  if (approvers.length === 0) return true;
  return approvers.some((a) =>
    a.startsWith("group:") ? (input.groups ?? []).includes(a.slice(6)) : a === input.user,
  );
}

/**
 * The status of `run` with `input` recorded in `status.extraFields.approversResponse` (a user's
 * new answer replaces their earlier one). Throws {@link ApprovalError} when the run is not an
 * Approval, has not started, is already done, or the user is not among its approvers.
 */
export function answeredStatus(run: AnyCustomRun, input: ApprovalInput, now: Date): CustomRunStatus {
  checkApprovalInput(input);
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
    time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  const responses = [...fields.approversResponse.filter((r) => r.name !== input.user), response];
  const extraFields = {
    ...fields,
    approvalState: ApprovalState.Pending,
    approversResponse: responses,
  } as unknown as Json;
  return { ...run.status, extraFields };
}
