/**
 * The exit codes a user sees from the command line itself: help and version are 0, a wrong flag
 * or argument is 2 (bad input, as for invalid files), a server command with no server configured
 * is 1 (as kubectl). Runs' own codes (0, 1, 130) are tested in test/run/cli.test.ts, and server
 * commands' in connection-flags.test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, tempDir, writeYaml } from "../helpers/cli.js";

void describe("tektite exit codes", () => {
  void it("--help and --version exit 0", async () => {
    const help = await runCli(["run", "--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: tektite run/);
    const version = await runCli(["--version"]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  void it("an unknown flag, a missing required flag or a bad flag value exits 2 without a stack", async () => {
    for (const args of [
      ["run", "-f", "x.yaml", "--no-such-flag"],
      ["start", "task"],
      ["run", "-f", "x.yaml", "--max-parallel", "zero"],
      ["cancel", "taskrun"],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /m);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  void it("run with nothing to run (no -f, or only a Task) exits 2 and says what to give", async (t) => {
    const none = await runCli(["run"]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /^error: nothing to run: give -f FILE/m);
    const dir = tempDir(t);
    const file = writeYaml(
      dir,
      "task.yaml",
      "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps: [{name: s, image: busybox, script: 'true'}]\n",
    );
    const taskOnly = await runCli(["run", "-f", file]);
    assert.equal(taskOnly.code, 2, taskOnly.stderr);
    assert.match(taskOnly.stderr, /no TaskRun, PipelineRun, CustomRun or Run .*tektite start task\|pipeline/);
  });

  void it("a server command with no server configured exits 1 and says how to configure one", async (t) => {
    const dir = tempDir(t);
    const r = await runCli(["get", "taskruns"], {
      env: { KUBECONFIG: join(dir, "absent"), HOME: dir, TEKTITE_SERVER: "", TEKTITE_TOKEN: "" },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no server configured: pass --server URL --token TOKEN/);
  });
});
