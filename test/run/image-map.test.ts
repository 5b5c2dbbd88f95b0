/**
 * `--image-map` rules apply to every spelling of an image, as Docker's reference grammar reads it:
 * `docker.io/python:3` ≡ `docker.io/library/python:3` ≡ `python:3`, and no tag means `latest`.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";

const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: spelled
spec:
  taskSpec:
    steps:
      - name: short-hub-name
        image: docker.io/python:3
        script: |
          #!/usr/bin/env python3
          print("python from the map")
      - name: untagged
        image: docker.io/library/alpine
        script: |
          #!/bin/sh
          echo "alpine from the map"
`;

void describe("image map through tektite run (podman)", async () => {
  const skip = await skipUnlessEngine();

  void it(
    "maps docker.io/python:3 by a python:3 rule and an untagged image by a :latest rule",
    { skip },
    async (t) => {
      const emptyMapFile = writeYaml(tempDir(t), "map.yaml", "");
      const r = await runTaskRuns(t, taskRun, [
        "--executor",
        "podman",
        "--pull",
        "never",
        "--image-map-file",
        emptyMapFile,
        "--image-map",
        "python:3=localhost/tektite/python:3",
        "--image-map",
        "alpine:latest=localhost/tektite/alpine:latest",
      ]);
      const [tr] = r.objects();
      assert.equal(condition(tr!).status, "True", JSON.stringify(condition(tr!)));
      assert.equal(r.code, 0, r.stderr);
      const logs = join(r.dataDir, "pods", "default", "spelled-pod", "logs");
      assert.equal(readFileSync(join(logs, "step-short-hub-name.log"), "utf8"), "python from the map\n");
      assert.equal(readFileSync(join(logs, "step-untagged.log"), "utf8"), "alpine from the map\n");
    },
  );
});
