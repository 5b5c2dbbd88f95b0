/** `tektite approve|reject` against a store passed in. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { customRun, startHarness, type Harness } from "../../engine/customrun/harness.js";
import { approvalTask } from "../../customtasks/builtins/approval.js";
import { approveCommand, rejectCommand } from "./approve.js";

const APPROVAL = { apiVersion: "approval.tektite.dev/v1alpha1", kind: "Approval" };
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("tektite approve|reject", () => {
  it("approves with -m and --user, and rejects with the OS user by default", async () => {
    h = startHarness([approvalTask]);
    await h.create(
      customRun("gate", APPROVAL, { params: [{ name: "numberOfApprovalsRequired", value: "2" }] }),
    );
    const out: string[] = [];
    const deps = {
      openStore: () => h!.store,
      defaultUser: () => "os-user",
      write: (t: string) => void out.push(t),
    };
    await approveCommand(deps).parseAsync(["gate", "-n", "default", "-m", "looks good", "--user", "alice"], {
      from: "user",
    });
    await h.idle();
    await rejectCommand(deps).parseAsync(["gate", "-m", "not yet"], { from: "user" });
    await h.idle();
    assert.deepEqual(out, [
      "customrun/gate approved by alice (1 of 2)\n",
      "customrun/gate rejected by os-user\n",
    ]);
    const c = h.status("gate").conditions?.[0];
    assert.deepEqual(
      [c?.status, c?.reason, c?.message],
      ["False", "Rejected", "Rejected by os-user: not yet"],
    );
  });

  it("fails with the ApprovalError's message for a run that does not exist", async () => {
    h = startHarness([approvalTask]);
    const deps = { openStore: () => h!.store, defaultUser: () => "u", write: () => undefined };
    await assert.rejects(
      approveCommand(deps).parseAsync(["missing"], { from: "user" }),
      /CustomRun "missing" not found in namespace "default"/,
    );
  });
});
