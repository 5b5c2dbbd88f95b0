/**
 * A sandboxed host step does not see container engines' state: other containers' root
 * filesystems under /var/lib/containers are neither readable nor bound into the step's view.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: engine-state
spec:
  taskSpec:
    steps:
      - name: look
        image: busybox
        script: |
          #!/bin/sh
          echo "entries=$(ls -A /var/lib/containers 2>/dev/null | wc -l)"
`;

void describe("container engine state (host executor sandbox)", () => {
  void it("hides /var/lib/containers from a sandboxed step", async (t) => {
    // podman is installed wherever the suite runs (CI installs it); its storage is not empty.
    const onHost = readdirSync("/var/lib/containers");
    assert.ok(onHost.length > 0, "podman's storage directory is expected on this machine");
    const dir = tempDir(t);
    const dataDir = join(dir, "data");
    const file = writeYaml(dir, "state.yaml", taskRun);
    const r = await runCli([
      "run",
      "-f",
      file,
      "-o",
      "json",
      "--executor",
      "host",
      "--sandbox",
      "bwrap",
      "--data-dir",
      dataDir,
    ]);
    const [tr] = objectsOf(r.stdout);
    assert.equal(condition(tr!).status, "True", JSON.stringify(condition(tr!)) + r.stderr);
    const log = join(dataDir, "pods", "default", "engine-state-pod", "logs", "step-look.log");
    assert.equal(readFileSync(log, "utf8"), "entries=0\n");
  });
});
