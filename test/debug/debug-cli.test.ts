/**
 * `tektite debug taskrun` and `tektite run --debug`, driven as a user drives them: a TaskRun
 * halted by `tektite run` (host executor, bubblewrap) entered from another process with a
 * command or an interactive shell on a real pseudo-terminal, and the same through `tektite
 * serve`'s exec API with the kubeconfig.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultFeatureFlags, type FeatureFlags } from "../../src/config/features.js";
import { HostExecutor } from "../../src/executors/host.js";
import type { TaskRun } from "../../src/api/types.js";
import { ResourceTypes } from "../../src/store/index.js";
import { runCli, tektiteBin } from "../helpers/cli.js";
import { startEngineHarness, type EngineHarness } from "../server/harness.js";
import { onTerminal, waitFor } from "../server/debug-helpers.js";

const HALTED = "debug onFailure breakpoint has taken effect";

function failing(name: string, debug = true): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${debug ? "  debug:\n    breakpoints:\n      onFailure: enabled\n" : ""}  taskSpec:
    steps:
      - name: first
        image: busybox
        script: |
          echo hello > /workspace/marker
          exit 3
      - name: second
        image: busybox
        script: echo second ran
`;
}

/** `tektite run` in the background, killed when the test ends (a halted run never ends by itself). */
function background(
  t: { after: (fn: () => void) => void },
  args: string[],
  onSpawn?: (out: () => string) => void,
) {
  let pid: number | undefined;
  let finished = false;
  const result = runCli(args, {
    onSpawn: (p, out) => {
      pid = p;
      onSpawn?.(out);
    },
  }).finally(() => (finished = true));
  t.after(() => {
    if (!finished && pid !== undefined) process.kill(pid, "SIGKILL");
  });
  return result;
}

const cli = (args: string[]): string =>
  [process.execPath, tektiteBin, ...args].map((a) => `'${a}'`).join(" ");

describe("tektite debug taskrun against a local tektite run", () => {
  const dir = mkdtempSync(join(tmpdir(), "tektite-debug-cli-"));
  const dataDir = join(dir, "data");
  after(() => rmSync(dir, { recursive: true, force: true }));
  const stepLog = (name: string, c: string): string => {
    const p = join(dataDir, "pods", "default", `${name}-pod`, "logs", `${c}.log`);
    return existsSync(p) ? readFileSync(p, "utf8") : "";
  };

  it("runs a command in the halted step with its output and exit code, opens a shell on a terminal, and debug-continue lets the run succeed", async (t) => {
    const file = join(dir, "local.yaml");
    writeFileSync(file, failing("local"));
    const run = background(t, [
      "run",
      "-f",
      file,
      "--executor",
      "host",
      "--sandbox",
      "bwrap",
      "--feature-gate",
      "alpha",
      "--data-dir",
      dataDir,
    ]);
    await waitFor(() => stepLog("local", "step-first").includes(HALTED), "the step to halt");

    const cat = await runCli([
      "debug",
      "taskrun",
      "local",
      "--data-dir",
      dataDir,
      "--",
      "cat",
      "/workspace/marker",
    ]);
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, "hello\n");
    const code = await runCli([
      "debug",
      "tr",
      "local",
      "--data-dir",
      dataDir,
      "--",
      "sh",
      "-c",
      "echo to-stderr >&2; exit 6",
    ]);
    assert.equal(code.code, 6);
    assert.equal(code.stderr, "to-stderr\n");
    const notRunning = await runCli([
      "debug",
      "taskrun",
      "local",
      "--data-dir",
      dataDir,
      "--step",
      "second",
      "--",
      "ls",
    ]);
    assert.equal(notRunning.code, 1);
    assert.match(notRunning.stderr, /TaskRun "local" has no running step in /);

    const term = onTerminal(
      `stty rows 21 cols 83; ${cli(["debug", "taskrun", "local", "--data-dir", dataDir])}`,
      { ...process.env },
    );
    t.after(() => term.kill());
    await term.waitFor(/# /);
    term.write("stty size; pwd\n");
    await term.waitFor(/21 83\r*\n\/workspace\r*\n/);
    term.write("exit 5\n");
    assert.equal(await term.exited, 5, term.output());

    const cont = await runCli([
      "debug",
      "taskrun",
      "local",
      "--data-dir",
      dataDir,
      "--",
      "/tekton/debug/scripts/debug-continue",
    ]);
    assert.equal(cont.stdout, "Executing step 0...\n");
    const result = await run;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /TaskRun\/local\s+True\s+Succeeded/);
    assert.match(result.stdout, /\[local\/second\] second ran/);
  });

  it("tektite run --debug halts a failed step and, without a terminal, says how to enter it", async (t) => {
    const file = join(dir, "plain.yaml");
    writeFileSync(file, failing("plain", false));
    let output = (): string => "";
    const run = background(
      t,
      ["run", "--debug", "-f", file, "--executor", "host", "--sandbox", "bwrap", "--data-dir", dataDir],
      (out) => (output = out),
    );
    await waitFor(() => output().includes("tektite debug taskrun plain --data-dir"), "the halt notice");
    assert.match(
      output(),
      /TaskRun plain: step-first halted on failure; enter it with `tektite debug taskrun plain --data-dir \S+`/,
    );
    const fail = await runCli([
      "debug",
      "taskrun",
      "plain",
      "--data-dir",
      dataDir,
      "--",
      "/tekton/debug/scripts/debug-fail-continue",
    ]);
    assert.equal(fail.code, 0, fail.stderr);
    const result = await run;
    assert.equal(result.code, 1);
    assert.match(result.stdout, /TaskRun\/plain\s+False\s+StepFailed/);
    assert.match(result.stdout, /\[plain\/second\] second ran/);
  });

  it("tektite run --debug on a terminal opens a shell in the halted step right away", async (t) => {
    const file = join(dir, "term.yaml");
    writeFileSync(file, failing("term", false));
    const term = onTerminal(
      cli(["run", "--debug", "-f", file, "--executor", "host", "--sandbox", "bwrap", "--data-dir", dataDir]),
      { ...process.env },
    );
    t.after(() => term.kill());
    await term.waitFor(/A shell in it follows/);
    await term.waitFor(/# /);
    term.write("cat /workspace/marker; /tekton/debug/scripts/debug-continue; exit\n");
    assert.equal(await term.exited, 0, term.output());
    assert.match(term.output(), /hello\r*\nExecuting step 0\.\.\./);
    assert.match(term.output(), /TaskRun\/term\s+True\s+Succeeded/);
  });
});

describe("tektite debug taskrun against tektite serve", () => {
  const features: FeatureFlags = { ...defaultFeatureFlags(), enableApiFields: "alpha" };
  let h: EngineHarness;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    h = await startEngineHarness({
      features,
      executor: new HostExecutor({
        sandbox: "bwrap",
        hostEnv: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
      }),
    });
    // No local run of that name: the command goes through the server named by $KUBECONFIG.
    env = { ...h.env, TEKTITE_DATA_DIR: join(h.dataDir, "elsewhere") };
  });
  after(async () => {
    await h.close();
  });

  it("enters the halted step through the exec API, with a command and with a shell on a terminal", async (t) => {
    await h.kubectl(["apply", "-f", "-"], failing("remote"));
    const log = join(h.dataDir, "pods", "default", "remote-pod", "logs", "step-first.log");
    await waitFor(() => existsSync(log) && readFileSync(log, "utf8").includes(HALTED), "the step to halt");
    const cat = await runCli(["debug", "taskrun", "remote", "--", "cat", "/workspace/marker"], {
      env: env as Record<string, string>,
    });
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, "hello\n");
    const code = await runCli(["debug", "taskrun", "remote", "--", "sh", "-c", "exit 9"], {
      env: env as Record<string, string>,
    });
    assert.equal(code.code, 9);

    const term = onTerminal(`stty rows 22 cols 77; ${cli(["debug", "taskrun", "remote"])}`, env);
    t.after(() => term.kill());
    await term.waitFor(/# /);
    term.write("stty size\n");
    await term.waitFor(/22 77\r*\n/);
    term.write("exit 4\n");
    assert.equal(await term.exited, 4, term.output());

    await runCli(["debug", "taskrun", "remote", "--", "/tekton/debug/scripts/debug-continue"], {
      env: env as Record<string, string>,
    });
    await waitFor(
      () =>
        h.store.get<TaskRun>(ResourceTypes.TaskRun, "default", "remote")?.status?.completionTime !==
        undefined,
      "the TaskRun to finish",
    );
    const after = await runCli(["debug", "taskrun", "remote", "--step", "first", "--", "ls"], {
      env: env as Record<string, string>,
    });
    assert.equal(after.code, 1);
    assert.match(after.stderr, /cannot exec into a container in a completed pod; current phase is Succeeded/);
  });
});
