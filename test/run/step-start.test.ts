/**
 * What a user sees when a step cannot start: the reason is printed live by `tektite run` and kept
 * in the step's status as a Tekton pod reports it — a missing command is the entrypoint's
 * `Error executing command: …` (exit code 1), a container the runtime refuses (a memory limit
 * below what it needs) is Kubernetes' `StartError` (exit code 128) with the runtime's message.
 */
import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { visibleDataDir } from "../helpers/serve.js";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, runTaskRuns } from "../helpers/cli.js";

const missingCommand = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: missing
spec:
  taskSpec:
    steps:
      - name: absent
        image: localhost/tektite/busybox:latest
        command: [no-such-command, --flag]
      - name: after
        image: localhost/tektite/busybox:latest
        command: [echo, never]
`;

const tinyMemory = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: tiny
spec:
  taskSpec:
    steps:
      - name: squeezed
        image: localhost/tektite/busybox:latest
        command: [echo, never]
        computeResources:
          limits:
            memory: 1k
`;

const notFoundLine = 'Error executing command: exec: "no-such-command": executable file not found in $PATH';

for (const executor of ["host", "podman"] as const) {
  void describe(`a step whose command is missing (${executor} executor)`, async () => {
    const skip = executor === "podman" ? await skipUnlessEngine() : false;
    const args = ["--executor", executor, ...(executor === "host" ? ["--sandbox", "bwrap"] : [])];

    void it(
      "prints the entrypoint's reason live and fails the step with exit code 1",
      { skip },
      async (t) => {
        const r = await runTaskRuns(t, missingCommand, args);
        assert.equal(r.code, 1, r.stderr);
        assert.ok(r.stderr.includes(`[missing/absent] ${notFoundLine}\n`), r.stderr);
        assert.ok(!r.stderr.includes("never"), "the next step was skipped");
        const [tr] = r.objects();
        assert.deepEqual(condition(tr!).status, "False");
        assert.match(condition(tr!).message, /^"step-absent" exited with code 1/);
        const [absent, after] = tr!["status"]["steps"] as Array<Record<string, any>>;
        assert.equal(absent!["terminated"]["exitCode"], 1);
        assert.equal(absent!["terminated"]["reason"], "Error");
        assert.equal(after!["terminationReason"], "Skipped");
      },
    );
  });
}

void describe("a command hidden by a later step's volume (host sandbox)", () => {
  void it("is looked up again for that step, which fails with the entrypoint's reason", async (t) => {
    // A host directory the sandbox shows (not /tmp), on both steps' PATH; the second step mounts an
    // empty volume over it, so the command the first step ran is not there for the second.
    const tools = visibleDataDir("tektite-tools-");
    t.after(() => rmSync(tools, { recursive: true, force: true }));
    const bin = join(tools, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "mytool"), "#!/bin/sh\necho tool-ran\n");
    chmodSync(join(bin, "mytool"), 0o755);
    chmodSync(tools, 0o755);
    const step = (name: string, mounted: boolean): string => `      - name: ${name}
        image: busybox
        env:
          - name: PATH
            value: ${bin}:/usr/bin:/bin
        command: [mytool]${mounted ? `\n        volumeMounts:\n          - name: empty\n            mountPath: ${bin}` : ""}
`;
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: hidden-tool
spec:
  taskSpec:
    volumes:
      - name: empty
        emptyDir: {}
    steps:
${step("first", false)}${step("second", true)}`;
    const r = await runTaskRuns(t, yaml, ["--sandbox", "bwrap"]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes("[hidden-tool/first] tool-ran\n"), r.stderr);
    assert.ok(
      r.stderr.includes(
        '[hidden-tool/second] Error executing command: exec: "mytool": executable file not found in $PATH\n',
      ),
      r.stderr,
    );
  });
});

void describe("a step whose memory limit the runtime refuses (podman executor)", async () => {
  const skip = await skipUnlessEngine();

  void it(
    "prints the runtime's error live and reports StartError with exit code 128",
    { skip },
    async (t) => {
      const r = await runTaskRuns(t, tinyMemory, ["--executor", "podman"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^\[tiny\/squeezed\] .*unable to set memory limit to 1000\b.*$/m);
      const [tr] = r.objects();
      assert.match(condition(tr!).message, /^"step-squeezed" exited with code 128/);
      const [step] = tr!["status"]["steps"] as Array<Record<string, any>>;
      assert.equal(step!["terminated"]["exitCode"], 128);
      assert.equal(step!["terminated"]["reason"], "StartError");
      assert.match(step!["terminated"]["message"], /unable to set memory limit to 1000\b/);
      assert.equal(step!["terminationReason"], "StartError");
    },
  );
});
