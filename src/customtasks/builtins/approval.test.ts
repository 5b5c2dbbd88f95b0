/** The built-in Approval: waiting, approvals, rejection, timeout, and recordApproval's checks. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { CustomRunStatus } from "../../api/types.js";
import { answerApproval } from "../../cli/commands/approve.js";
import { customRun, startHarness, type Harness } from "../../engine/customrun/harness.js";
import { approvalTask } from "./approval.js";
import { ApprovalError } from "./approval-answer.js";
import { recordApproval } from "./approval-record.js";

const APPROVAL = { apiVersion: "approval.tektite.dev/v1alpha1", kind: "Approval" };
const cond = (s: CustomRunStatus | undefined) => {
  const c = s?.conditions?.find((x) => x.type === "Succeeded");
  return c ? [c.status, c.reason, c.message] : [];
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function gate(
  params: Array<{ name: string; value: string | string[] }>,
  spec: Record<string, unknown> = {},
): Promise<Harness> {
  const harness = startHarness([approvalTask]);
  await harness.create(customRun("gate", APPROVAL, { params, ...spec }));
  return harness;
}

describe("Approval", () => {
  it("stays Unknown/Running waiting for approval, recording its settings in extraFields", async () => {
    h = await gate([
      { name: "approvers", value: ["alice", "bob"] },
      { name: "numberOfApprovalsRequired", value: "2" },
      { name: "description", value: "deploy to prod" },
    ]);
    assert.deepEqual(cond(h.status("gate")), ["Unknown", "Running", "Waiting for approval: 0 of 2"]);
    assert.deepEqual(h.status("gate").extraFields, {
      approvalState: "pending",
      approvers: ["alice", "bob"],
      numberOfApprovalsRequired: 2,
      description: "deploy to prod",
      approversResponse: [],
    });
  });

  it("succeeds with Approved once enough approvers approve, recording who approved", async () => {
    h = await gate([
      { name: "approvers", value: "alice, bob" },
      { name: "numberOfApprovalsRequired", value: "2" },
    ]);
    recordApproval(h.store, "default", "gate", { user: "alice", decision: "approve", message: "lgtm" });
    await h.idle();
    assert.deepEqual(cond(h.status("gate")), ["Unknown", "Running", "Waiting for approval: 1 of 2"]);
    recordApproval(h.store, "default", "gate", { user: "bob", decision: "approve" });
    await h.idle();
    const s = h.status("gate");
    assert.deepEqual(cond(s), ["True", "Approved", "Approved by alice, bob"]);
    assert.deepEqual(s.results, [
      { name: "approvedBy", value: "alice,bob" },
      { name: "approvalState", value: "approved" },
    ]);
    const fields = s.extraFields as {
      approvalState: string;
      approversResponse: Array<{ name: string; response: string; message?: string }>;
    };
    assert.equal(fields.approvalState, "approved");
    assert.deepEqual(
      fields.approversResponse.map((r) => [r.name, r.response, r.message]),
      [
        ["alice", "approved", "lgtm"],
        ["bob", "approved", undefined],
      ],
    );
  });

  it("fails with Rejected on any rejection", async () => {
    h = await gate([{ name: "approvers", value: ["alice", "bob"] }]);
    recordApproval(h.store, "default", "gate", { user: "bob", decision: "reject", message: "not today" });
    await h.idle();
    assert.deepEqual(cond(h.status("gate")), ["False", "Rejected", "Rejected by bob: not today"]);
    assert.equal((h.status("gate").extraFields as { approvalState: string }).approvalState, "rejected");
  });

  it("rejects on timeout with CustomRunTimedOut", async () => {
    h = await gate([{ name: "approvers", value: "alice" }], { timeout: "30m" });
    await h.advance(30 * 60_000 + 1);
    assert.deepEqual(cond(h.status("gate")), [
      "False",
      "CustomRunTimedOut",
      'CustomRun "gate" failed to finish within "30m0s"',
    ]);
    assert.equal((h.status("gate").extraFields as { approvalState: string }).approvalState, "rejected");
  });

  it("refuses answers from non-approvers, to finished runs and to other kinds of runs", async () => {
    h = await gate([{ name: "approvers", value: ["alice", "group:release"] }]);
    assert.throws(
      () => recordApproval(h!.store, "default", "gate", { user: "mallory", decision: "approve" }),
      (e: unknown) => e instanceof ApprovalError && e.reason === "NotAnApprover",
    );
    assert.throws(
      () => recordApproval(h!.store, "default", "nope", { user: "alice", decision: "approve" }),
      (e: unknown) => e instanceof ApprovalError && e.reason === "NotFound",
    );
    recordApproval(h.store, "default", "gate", { user: "carol", groups: ["release"], decision: "approve" });
    await h.idle();
    assert.deepEqual(cond(h.status("gate")), ["True", "Approved", "Approved by carol"]);
    assert.throws(
      () => recordApproval(h!.store, "default", "gate", { user: "alice", decision: "reject" }),
      (e: unknown) => e instanceof ApprovalError && e.reason === "AlreadyDone",
    );
  });

  it("fails with InvalidParams on a bad numberOfApprovalsRequired or unknown params", async () => {
    h = startHarness([approvalTask]);
    await h.create(
      customRun("bad-n", APPROVAL, { params: [{ name: "numberOfApprovalsRequired", value: "zero" }] }),
    );
    await h.create(customRun("extra", APPROVAL, { params: [{ name: "approver", value: "alice" }] }));
    assert.deepEqual(cond(h.status("bad-n")), [
      "False",
      "InvalidParams",
      'numberOfApprovalsRequired must be a positive integer, got "zero"',
    ]);
    assert.deepEqual(cond(h.status("extra")), ["False", "InvalidParams", "unexpected params: approver"]);
  });

  it("answers through the approve command's core with a confirmation line", async () => {
    h = await gate([{ name: "approvers", value: "alice" }]);
    const line = answerApproval(h.store, {
      name: "gate",
      namespace: "default",
      decision: "approve",
      user: "alice",
      message: "ship it",
    });
    assert.equal(line, "customrun/gate approved by alice (1 of 1)\n");
    await h.idle();
    assert.deepEqual(cond(h.status("gate")), ["True", "Approved", "Approved by alice"]);
  });
});
