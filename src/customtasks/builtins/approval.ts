/**
 * The built-in `Approval` custom task (`approval.tektite.dev/v1alpha1`, kind `Approval`), modelled
 * on openshift-pipelines' manual approval gate. Params: `approvers` (array or comma list; empty ⇒
 * anyone may answer; `group:<name>` entries match users reporting that group),
 * `numberOfApprovalsRequired` (default 1), `description`.
 *
 * The run stays `Unknown/Running` with `Waiting for approval: <n> of <required>` until enough
 * approvals (`True/Approved`); any rejection fails it (`False/Rejected`); a timeout rejects it
 * (`False/CustomRunTimedOut`, `approvalState: rejected`). Answers are recorded with
 * {@link recordApproval} in `status.extraFields`, so the state survives a restart.
 *
 * @module
 */
import type { Json } from "../../api/types.js";
import type { CustomReconcilerDefinition, ReconcileDecision } from "../controller.js";
import { CustomTaskError } from "../errors.js";
import { listParam } from "../params.js";
import type { AnyCustomRun } from "../run-view.js";
import { defineCustomReconciler } from "../sdk.js";

/** `approval.tektite.dev/v1alpha1`. */
export const APPROVAL_API_VERSION = "approval.tektite.dev/v1alpha1";
/** `Approval`. */
export const APPROVAL_KIND = "Approval";

const APPROVAL_PARAMS: readonly string[] = ["approvers", "numberOfApprovalsRequired", "description"];

/** Condition reasons of an Approval run (besides the engine's `CustomRunTimedOut`/`CustomRunCancelled`). */
export const ApprovalReason = {
  Running: "Running",
  Approved: "Approved",
  Rejected: "Rejected",
  InvalidParams: "InvalidParams",
} as const;

/** `status.extraFields.approvalState`. */
export const ApprovalState = { Pending: "pending", Approved: "approved", Rejected: "rejected" } as const;
/** One of {@link ApprovalState}'s values. */
export type ApprovalState = (typeof ApprovalState)[keyof typeof ApprovalState];

/** One recorded answer. */
export interface ApproverResponse {
  name: string;
  response: "approved" | "rejected";
  message?: string;
  /** RFC 3339. */
  time: string;
}

/** What an Approval keeps in `status.extraFields`. */
export interface ApprovalFields {
  approvalState: ApprovalState;
  approvers: string[];
  numberOfApprovalsRequired: number;
  description?: string;
  approversResponse: ApproverResponse[];
}

/** The run's Approval settings from its params; throws `CustomTaskError(InvalidParams)`. */
export function approvalSettings(
  params: Readonly<Record<string, unknown>>,
): Omit<ApprovalFields, "approvalState" | "approversResponse"> {
  const approvers = listParam(params["approvers"] as string | string[] | undefined);
  const rawN = params["numberOfApprovalsRequired"];
  const n = rawN === undefined ? 1 : Number(rawN);
  if (typeof rawN !== "undefined" && typeof rawN !== "string") {
    throw new CustomTaskError(
      ApprovalReason.InvalidParams,
      "numberOfApprovalsRequired must be a string holding a positive integer",
    );
  }
  if (!Number.isInteger(n) || n < 1) {
    throw new CustomTaskError(
      ApprovalReason.InvalidParams,
      `numberOfApprovalsRequired must be a positive integer, got "${String(rawN)}"`,
    );
  }
  const users = approvers.filter((a) => !a.startsWith("group:"));
  if (users.length > 0 && users.length === approvers.length && n > users.length) {
    throw new CustomTaskError(
      ApprovalReason.InvalidParams,
      `numberOfApprovalsRequired (${n}) is more than the number of approvers (${approvers.length})`,
    );
  }
  const description = params["description"];
  return {
    approvers,
    numberOfApprovalsRequired: n,
    ...(typeof description === "string" && description !== "" ? { description } : {}),
  };
}

/** The Approval state kept in a run's status, if any. */
export function approvalFieldsOf(run: Pick<AnyCustomRun, "status">): ApprovalFields | undefined {
  const x = run.status?.extraFields;
  if (typeof x !== "object" || x === null || Array.isArray(x)) return undefined;
  if (typeof x["approvalState"] !== "string") return undefined;
  return x as unknown as ApprovalFields;
}

/** Decides from the recorded answers. */
export function decideApproval(fields: ApprovalFields): ReconcileDecision {
  const extraFields = (state: ApprovalState): Json =>
    ({ ...fields, approvalState: state }) as unknown as Json;
  const rejected = fields.approversResponse.find((r) => r.response === "rejected");
  if (rejected !== undefined) {
    const why = rejected.message ? `: ${rejected.message}` : "";
    return {
      failed: {
        reason: ApprovalReason.Rejected,
        message: `Rejected by ${rejected.name}${why}`,
        extraFields: extraFields(ApprovalState.Rejected),
      },
    };
  }
  const approvedBy = fields.approversResponse.filter((r) => r.response === "approved").map((r) => r.name);
  if (approvedBy.length >= fields.numberOfApprovalsRequired) {
    return {
      succeeded: {
        reason: ApprovalReason.Approved,
        message: `Approved by ${approvedBy.join(", ")}`,
        results: { approvedBy: approvedBy.join(","), approvalState: ApprovalState.Approved },
        extraFields: extraFields(ApprovalState.Approved),
      },
    };
  }
  return {
    running: {
      reason: ApprovalReason.Running,
      message: `Waiting for approval: ${approvedBy.length} of ${fields.numberOfApprovalsRequired}`,
      extraFields: extraFields(ApprovalState.Pending),
    },
  };
}

/** The Approval controller. Retries are not supported (a rejection is final). */
export const approvalTask: CustomReconcilerDefinition = defineCustomReconciler({
  apiVersion: APPROVAL_API_VERSION,
  kind: APPROVAL_KIND,
  supports: { timeout: true, retries: false, workspaces: false },
  reconcile(run, ctx) {
    // Params are checked here rather than declared: `approvers` may be an array or a string.
    const unknown = Object.keys(ctx.params).filter((p) => !APPROVAL_PARAMS.includes(p));
    if (unknown.length > 0) {
      throw new CustomTaskError(ApprovalReason.InvalidParams, `unexpected params: ${unknown.join(", ")}`);
    }
    const settings = approvalSettings(ctx.params);
    const previous = approvalFieldsOf(run);
    const fields: ApprovalFields = {
      approvalState: ApprovalState.Pending,
      ...settings,
      approversResponse: previous?.approversResponse ?? [],
    };
    return decideApproval(fields);
  },
  onAbort(run) {
    const previous = approvalFieldsOf(run);
    if (previous === undefined) return;
    return { extraFields: { ...previous, approvalState: ApprovalState.Rejected } as unknown as Json };
  },
});
