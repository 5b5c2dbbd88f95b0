/**
 * `stdoutConfig`/`stderrConfig` files are written by the engine as the host user: a step that
 * turns the configured path (or a directory on the way) into a link to a host file must not get
 * that file written, on either executor.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { cleanup, serve, visibleDataDir, type Served } from "../helpers/serve.js";

const linkedRun = (
  name: string,
  plant: string,
  stream: "stdoutConfig" | "stderrConfig",
  path: string,
): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  workspaces:
    - name: data
      emptyDir: {}
  taskSpec:
    workspaces:
      - name: data
    results:
      - name: out
    steps:
      - name: plant
        image: busybox
        script: |
          ${plant}
      - name: talk
        image: busybox
        ${stream}:
          path: ${path}
        script: |
          echo written-by-the-step
          echo written-by-the-step >&2
`;

const fineRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: fine
spec:
  workspaces:
    - name: data
      emptyDir: {}
  taskSpec:
    workspaces:
      - name: data
    steps:
      - name: talk
        image: busybox
        stdoutConfig:
          path: $(workspaces.data.path)/deep/stdout.txt
        script: echo to-the-file
      - name: read
        image: busybox
        script: cat $(workspaces.data.path)/deep/stdout.txt
`;

for (const executor of ["host", "podman"] as const) {
  void describe(`stdoutConfig and stderrConfig files on the ${executor} executor`, async () => {
    const skip = executor === "podman" ? await skipUnlessEngine() : false;
    let s: Served;
    let outside: string;
    let hostFile: string;
    let hostDir: string;
    before(async () => {
      if (skip !== false) return;
      outside = mkdtempSync(join("/var/tmp", "tektite-outside-"));
      hostFile = join(outside, "host-file");
      hostDir = join(outside, "host-dir");
      writeFileSync(hostFile, "host content\n");
      mkdirSync(hostDir);
      s = await serve({
        executor,
        dataDir: visibleDataDir("tektite-outfiles-"),
        args: ["--feature-gate", "alpha"],
      });
    });
    after(async () => {
      if (skip !== false) return;
      await cleanup(s);
      rmSync(outside, { recursive: true, force: true });
    });

    const refused = async (name: string, message: string): Promise<void> => {
      assert.equal(await s.finished(name), "StepFailed");
      assert.equal(await s.jsonpath(name, "{.status.steps[0].terminated.exitCode}"), "0");
      assert.equal(await s.jsonpath(name, "{.status.steps[1].terminated.exitCode}"), "1");
      const condition = await s.jsonpath(name, '{.status.conditions[?(@.type=="Succeeded")].message}');
      assert.match(condition, /"step-talk" exited with code 1: Error/);
      const log = await s.kubectl(["logs", `${name}-pod`, "-c", "step-talk"]);
      assert.doesNotMatch(log.stdout, /written-by-the-step/, "the step must not have run");
      assert.ok(log.stdout.includes(message), `step log: ${log.stdout}`);
      assert.equal(readFileSync(hostFile, "utf8"), "host content\n");
      assert.deepEqual(readdirSync(hostDir), []);
    };

    void it("does not write a host file that the workspace's stdout path links to", { skip }, async () => {
      const created = await s.kubectl(
        ["create", "-f", "-"],
        linkedRun(
          "ws-link",
          `ln -s ${hostFile} $(workspaces.data.path)/out`,
          "stdoutConfig",
          "$(workspaces.data.path)/out",
        ),
      );
      assert.equal(created.code, 0, created.stderr);
      await refused(
        "ws-link",
        `stdoutConfig.path "/workspace/data/out" cannot be written: "out" is a symbolic link, which is not followed`,
      );
    });

    void it(
      "does not write into a host directory that a directory on the stdout path links to",
      { skip },
      async () => {
        const created = await s.kubectl(
          ["create", "-f", "-"],
          linkedRun(
            "dir-link",
            `ln -s ${hostDir} $(workspaces.data.path)/dir`,
            "stdoutConfig",
            "$(workspaces.data.path)/dir/out",
          ),
        );
        assert.equal(created.code, 0, created.stderr);
        await refused("dir-link", `"dir" is a symbolic link, which is not followed`);
      },
    );

    void it("does not write a host file that a result's stderr path links to", { skip }, async () => {
      const created = await s.kubectl(
        ["create", "-f", "-"],
        linkedRun(
          "result-link",
          `ln -sf ${hostFile} $(results.out.path)`,
          "stderrConfig",
          "$(results.out.path)",
        ),
      );
      assert.equal(created.code, 0, created.stderr);
      await refused("result-link", `"out" is a symbolic link, which is not followed`);
    });

    void it("writes a configured file inside a workspace, creating its directories", { skip }, async () => {
      const created = await s.kubectl(["create", "-f", "-"], fineRun);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(await s.finished("fine"), "Succeeded");
      const log = await s.kubectl(["logs", "fine-pod", "-c", "step-read"]);
      assert.equal(log.stdout, "to-the-file\n");
    });
  });
}
