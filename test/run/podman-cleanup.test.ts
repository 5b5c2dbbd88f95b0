/**
 * A finished TaskRun leaves nothing in the container engine, also when later steps never started
 * (a failed step skips the rest; a refused stdoutConfig path ends the attempt): checked against
 * podman's own list of containers, filtered to this run's data directory.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { POD_DIR_LABEL } from "../../src/executors/container.js";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";

const failingFirst = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: fails-early
spec:
  taskSpec:
    steps:
      - name: first
        image: localhost/tektite/busybox:latest
        script: exit 3
      - name: second
        image: localhost/tektite/busybox:latest
        script: echo never
      - name: third
        image: localhost/tektite/busybox:latest
        script: echo never
`;

const refusedOutput = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: refused-output
spec:
  workspaces:
    - name: data
      emptyDir: {}
  taskSpec:
    workspaces:
      - name: data
    steps:
      - name: plant
        image: localhost/tektite/busybox:latest
        script: ln -s /etc/hostname $(workspaces.data.path)/out
      - name: write
        image: localhost/tektite/busybox:latest
        stdoutConfig:
          path: $(workspaces.data.path)/out
        script: echo hi
`;

/** Containers podman still holds whose pod directory lies under `dataDir`. */
function containersUnder(dataDir: string): string[] {
  const out = execFileSync(
    "podman",
    ["ps", "-a", "--format", `{{.Names}} {{index .Labels "${POD_DIR_LABEL}"}}`],
    { encoding: "utf8" },
  );
  return out
    .split("\n")
    .filter((l) => l.split(" ")[1]?.startsWith(dataDir) === true)
    .map((l) => l.split(" ")[0]!);
}

void describe("podman cleanup after a TaskRun", async () => {
  const skip = await skipUnlessEngine();

  void it("removes the containers of a run whose later steps never started", { skip }, async (t) => {
    const r = await runTaskRuns(t, failingFirst, ["--executor", "podman"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(condition(r.objects()[0]!).reason, "StepFailed");
    assert.deepEqual(containersUnder(r.dataDir), []);
  });

  void it("removes the containers of a run ended by a refused stdoutConfig path", { skip }, async (t) => {
    const config = writeYaml(tempDir(t), "config.yaml", "featureFlags:\n  enable-api-fields: alpha\n");
    const r = await runTaskRuns(t, refusedOutput, ["--executor", "podman", "--config", config]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(containersUnder(r.dataDir), []);
  });
});
