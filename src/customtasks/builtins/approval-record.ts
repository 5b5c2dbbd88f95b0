/**
 * Recording an answer to an `Approval` run: the one write path shared by `tektite approve|reject`
 * and the API path of `tektite approve` (the decision itself is `approval-answer.ts`). The answer lands in `status.extraFields.approversResponse`; the engine's
 * Approval reconciler sees the change and decides.
 *
 * @module
 */
import { ConflictError, ResourceTypes, type ResourceType, type Store } from "../../store/index.js";
import type { AnyCustomRun } from "../run-view.js";
import {
  ApprovalError,
  ApprovalErrorReason,
  answeredStatus,
  checkApprovalInput,
  type ApprovalInput,
} from "./approval-answer.js";

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
  checkApprovalInput(input);
  for (let i = 0; i < 20; i++) {
    const found = find(store, ns, name, opts.kind);
    if (found === undefined)
      throw new ApprovalError(
        ApprovalErrorReason.NotFound,
        `${opts.kind ?? "CustomRun"} "${name}" not found in namespace "${ns}"`,
      );
    const { type, run } = found;
    const status = answeredStatus(run, input, opts.now ?? new Date());
    try {
      return store.update(type, { ...run, status }, { subresource: "status" });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  throw new ApprovalError(ApprovalErrorReason.InvalidInput, `${name}: status update kept conflicting`);
}
