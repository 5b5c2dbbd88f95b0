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
  const waiters: Array<() => void> = [];
  const onOutput = (d: Buffer): void => {
    output += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  controller.stdout.on("data", onOutput);
  controller.stderr.on("data", onOutput);
  controller.on("exit", () => {
    for (const w of waiters.splice(0)) w();
  });
  t.after(() => controller.kill("SIGKILL"));
  const outputMatches = async (re: RegExp): Promise<void> => {
    while (!re.test(output)) {
      if (controller.exitCode !== null) assert.fail(`controller exited ${controller.exitCode}:\n${output}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  // The informer lists before it watches; applying once it is up makes the test independent of start-up speed.
  await outputMatches(/watching CustomRuns/);

  await ch.apply(readFileSync(join(repoRoot, "examples", "external-controller", "customrun.yaml"), "utf8"));
  const run = await ch.waitFor<CustomRun>(ResourceTypes.CustomRun, "echo-hello", (r) =>
    (r.status?.conditions ?? []).some((c) => c.type === "Succeeded" && c.status !== "Unknown"),
  );
  const c = run.status!.conditions!.find((x) => x.type === "Succeeded")!;
  assert.deepEqual([c.status, c.reason], ["True", "Echoed"], output);
  assert.deepEqual(run.status!.results, [{ name: "echoed", value: "hello from outside" }]);
  await outputMatches(/echoed default\/echo-hello/);
});
