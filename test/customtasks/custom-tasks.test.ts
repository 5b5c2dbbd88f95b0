/**
 * Scenarios with YAML fixtures: the reference Wait example, CEL and Approval side by side with a
 * run nobody handles, and the SDK example in `examples/custom-task/` loaded as a plugin.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import YAML from "yaml";
import type { CustomRunStatus, KubeObject } from "../../src/api/types.js";
import { recordApproval } from "../../src/customtasks/builtins/approval-record.js";
import { loadPlugins } from "../../src/customtasks/plugins.js";
import { builtinDispatcher } from "../../src/cli/custom-tasks.js";
import { startHarness, type Harness } from "../../src/engine/customrun/harness.js";
import { customRunLogPath } from "../../src/engine/customrun/run-log.js";

const root = join(import.meta.dirname, "..", "..", "..");
const fixture = (name: string): KubeObject[] =>
  YAML.parseAllDocuments(readFileSync(join(root, "test", "customtasks", "fixtures", name), "utf8")).map(
    (d) => d.toJSON() as KubeObject,
  );
const cond = (s: CustomRunStatus | undefined) => {
  const c = s?.conditions?.find((x) => x.type === "Succeeded");
  return c ? [c.status, c.reason, c.message] : [];
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("custom task scenarios", () => {
  it("runs Tekton's reference Wait example (retries 2, timeout 10s, duration 3s) to True/DurationElapsed", async () => {
    h = startHarness(builtinDispatcher());
    const [obj] = fixture("wait-customrun.yaml");
    const created = await h.create(obj!);
    const name = created.metadata.name ?? "";
    assert.match(name, /^wait-customrun-[a-z0-9]{5}$/);
    await h.advance(3001);
    assert.deepEqual(cond(h.status(name)), ["True", "DurationElapsed", "The wait duration has elapsed"]);
    assert.equal(h.status(name).retriesStatus, undefined);
  });

  it("evaluates CEL, waits on an Approval until two approvals, and leaves an unknown kind without status", async () => {
    const dispatcher = builtinDispatcher();
    h = startHarness(dispatcher);
    const objs = fixture("cel-and-approval.yaml");
    for (const o of objs) await h.create(o);
    assert.deepEqual(h.status("is-red").results, [
      { name: "red", value: "0xFF0000" },
      { name: "is-red", value: "true" },
    ]);
    assert.equal(h.get("unknown-kind").status, undefined);
    assert.equal(
      dispatcher.missingControllerMessage(h.get("unknown-kind")),
      "no custom task controller for example.dev/v1alpha1/Example",
    );
    assert.equal(dispatcher.hasController(h.get("deploy-gate")), true);
    assert.deepEqual(cond(h.status("deploy-gate")), ["Unknown", "Running", "Waiting for approval: 0 of 2"]);
    recordApproval(h.store, "default", "deploy-gate", { user: "alice", decision: "approve" });
    recordApproval(h.store, "default", "deploy-gate", {
      user: "dave",
      groups: ["release"],
      decision: "approve",
      message: "ok",
    });
    await h.idle();
    assert.deepEqual(cond(h.status("deploy-gate")), ["True", "Approved", "Approved by alice, dave"]);
  });

  it("runs the SDK example in examples/custom-task as a plugin, logging to the run's log file", async () => {
    const plugins = await loadPlugins([join(root, "examples", "custom-task", "greeter.mjs")]);
    const dataDir = mkdtempSync(join(tmpdir(), "tektite-greeter-"));
    h = startHarness(builtinDispatcher(plugins), { dataDir });
    const [obj] = YAML.parseAllDocuments(
      readFileSync(join(root, "examples", "custom-task", "greeter-customrun.yaml"), "utf8"),
    ).map((d) => d.toJSON() as KubeObject);
    await h.create(obj!);
    for (let i = 0; i < 20 && cond(h.get("greet-ada").status)[0] === "Unknown"; i++) await h.idle();
    const s = h.status("greet-ada");
    assert.deepEqual(cond(s), ["True", "Greeted", "greeted Ada"]);
    assert.deepEqual(s.results, [
      { name: "greeting", value: "Bonjour, Ada!" },
      { name: "target", value: "(unnamed)" },
    ]);
    const log = customRunLogPath(dataDir, "default", "greet-ada", 0);
    assert.ok(existsSync(log));
    assert.equal(readFileSync(log, "utf8"), "Bonjour, Ada!\n");
    assert.deepEqual(
      h.logs.map((l) => [l.name, l.container, l.chunk.toString()]),
      [["greet-ada", "Greeter", "Bonjour, Ada!\n"]],
    );
  });
});
