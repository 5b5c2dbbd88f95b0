import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { CustomRun } from "../../src/api/types.js";
import { ResourceTypes } from "../../src/store/index.js";
import { startCliHarness, type CliHarness } from "./harness.js";

let ch: CliHarness;
before(async () => {
  ch = await startCliHarness();
});
after(() => ch.close());

const condition = (r: CustomRun) => r.status?.conditions?.find((c) => c.type === "Succeeded");

void test("tektite approve answers an Approval through the server's API until enough approvals arrive", async () => {
  await ch.apply(`apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: release-gate
spec:
  customRef:
    apiVersion: approval.tektite.dev/v1alpha1
    kind: Approval
  params:
    - name: approvers
      value: [alice, bob]
    - name: numberOfApprovalsRequired
      value: "2"
`);
  await ch.waitFor<CustomRun>(
    ResourceTypes.CustomRun,
    "release-gate",
    (r) => condition(r)?.reason === "Running",
  );
  const first = await ch.cli(["approve", "release-gate", "--user", "alice", "-m", "looks good"]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /customrun\/release-gate approved by alice \(1 of 2\)/);
  const stranger = await ch.cli(["approve", "release-gate", "--user", "mallory"]);
  assert.equal(stranger.code, 1);
  assert.match(stranger.stderr, /mallory/);
  const second = await ch.cli(["approve", "release-gate", "--user", "bob"]);
  assert.equal(second.code, 0, second.stderr);
  const done = await ch.waitFor<CustomRun>(
    ResourceTypes.CustomRun,
    "release-gate",
    (r) => condition(r)?.status === "True",
  );
  assert.equal(condition(done)?.reason, "Approved");
});
