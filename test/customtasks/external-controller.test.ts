import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { CustomRun } from "../../src/api/types.js";
import { ResourceTypes } from "../../src/store/index.js";
import { startCliHarness } from "../cli-server/harness.js";
import { repoRoot } from "../helpers/cli.js";

void test("an out-of-process controller built on @kubernetes/client-node drives a CustomRun through tektite serve", async (t) => {
  const ch = await startCliHarness();
  t.after(() => ch.close());
  const controller = spawn(
    process.execPath,
    [join(repoRoot, "examples", "external-controller", "controller.mjs")],
    {
      env: { ...ch.h.env, NODE_PATH: join(repoRoot, "node_modules") },
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  controller.stdout.on("data", (d: Buffer) => (output += d.toString()));
  controller.stderr.on("data", (d: Buffer) => (output += d.toString()));
  t.after(() => controller.kill("SIGKILL"));

  await ch.apply(readFileSync(join(repoRoot, "examples", "external-controller", "customrun.yaml"), "utf8"));
  const run = await ch.waitFor<CustomRun>(ResourceTypes.CustomRun, "echo-hello", (r) =>
    (r.status?.conditions ?? []).some((c) => c.type === "Succeeded" && c.status !== "Unknown"),
  );
  const c = run.status!.conditions!.find((x) => x.type === "Succeeded")!;
  assert.deepEqual([c.status, c.reason], ["True", "Echoed"], output);
  assert.deepEqual(run.status!.results, [{ name: "echoed", value: "hello from outside" }]);
  assert.match(output, /echoed default\/echo-hello/);
});
