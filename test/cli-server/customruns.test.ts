/** `tektite get|describe|cancel|logs|delete` on CustomRuns of the built-in Wait custom task. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CustomRun } from "../../src/api/types.js";
import { ResourceTypes, finished, outcome, startCliHarness, type CliHarness } from "./harness.js";

function waitRun(name: string, duration: string): string {
  return `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: ${name}
spec:
  customRef:
    apiVersion: wait.testing.tekton.dev/v1beta1
    kind: Wait
  params:
    - name: duration
      value: ${duration}
`;
}

describe("server commands on CustomRuns", () => {
  let c: CliHarness;
  before(async () => {
    c = await startCliHarness();
    await c.apply(waitRun("short-wait", "1s"));
    await c.waitFor<CustomRun>(ResourceTypes.CustomRun, "short-wait", finished);
  });
  after(async () => {
    await c.close();
  });

  it("lists a finished Wait CustomRun with its outcome", async () => {
    for (const word of ["customruns", "cr"]) {
      const r = await c.cli(["get", word]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME\nshort-wait\s+True\s+\S+\s+\d+s\s+\d+s\n$/,
      );
    }
    const named = await c.cli(["get", "customrun", "short-wait", "-o", "name"]);
    assert.equal(named.stdout, "customrun.tekton.dev/short-wait\n");
  });

  it("describes the custom ref, status and params like tkn customrun describe", async () => {
    const d = await c.cli(["describe", "customrun", "short-wait"]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^Name:\s+short-wait\nNamespace:\s+default\n/);
    assert.match(
      d.stdout,
      /\nCustom Ref:\n API Version:\s+wait\.testing\.tekton\.dev\/v1beta1\n Kind:\s+Wait\n/,
    );
    assert.match(d.stdout, /\nSTARTED\s+DURATION\s+STATUS\n\d+s ago\s+\d+s\s+Succeeded/);
    assert.match(d.stdout, /\nParams\n\n NAME\s+VALUE\n ∙ duration\s+1s\n/);
    assert.match(d.stdout, /\nResults\n\nNo results\n/);
  });

  it("cancels a waiting CustomRun with RunCancelled", async () => {
    await c.apply(waitRun("long-wait", "30m"));
    await c.waitFor<CustomRun>(
      ResourceTypes.CustomRun,
      "long-wait",
      (r) => r.status?.startTime !== undefined,
    );
    const cancel = await c.cli(["cancel", "customrun", "long-wait"]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(cancel.stdout, "CustomRun cancelled: long-wait\n");
    const done = await c.waitFor<CustomRun>(ResourceTypes.CustomRun, "long-wait", finished);
    assert.equal(done.spec.status, "RunCancelled");
    assert.equal(outcome(done).status, "False");
  });

  it("says plainly that CustomRun logs are not served", async () => {
    const r = await c.cli(["logs", "customrun", "short-wait"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: logs of CustomRuns are not served by the tektite API yet/);
  });

  it("deletes CustomRuns", async () => {
    const r = await c.cli(["delete", "customrun", "--all"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'customrun.tekton.dev "long-wait" deleted\ncustomrun.tekton.dev "short-wait" deleted\n',
    );
    const empty = await c.cli(["get", "customruns"]);
    assert.equal(empty.stdout, "");
    assert.equal(empty.stderr, "No resources found in default namespace.\n");
  });
});
