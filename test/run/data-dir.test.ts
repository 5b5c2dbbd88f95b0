/**
 * A relative `--data-dir` (or `TEKTITE_DATA_DIR`) is taken from the working directory, with either
 * executor: the container engine needs absolute bind sources and volume names.
 */
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: relative
spec:
  taskSpec:
    results:
      - name: out
    steps:
      - name: write
        image: localhost/tektite/busybox:latest
        script: printf here > $(results.out.path)
`;

async function runFrom(
  t: { after: (fn: () => void) => void },
  executor: string,
  how: "flag" | "env",
): Promise<{ dir: string; code: number | null; stderr: string; stdout: string }> {
  const dir = tempDir(t);
  const file = writeYaml(dir, "run.yaml", taskRun);
  const args = ["run", "-f", file, "-o", "json", "--executor", executor];
  const r = await runCli(how === "flag" ? [...args, "--data-dir", "data"] : args, {
    cwd: dir,
    ...(how === "env" ? { env: { TEKTITE_DATA_DIR: "data" } } : {}),
  });
  return { dir, ...r };
}

void describe("a relative data directory", async () => {
  const skip = await skipUnlessEngine();

  for (const [executor, opts] of [
    ["host", {}],
    ["podman", { skip }],
  ] as const) {
    void it(`runs a TaskRun with --data-dir data on the ${executor} executor`, opts, async (t) => {
      const r = await runFrom(t, executor, "flag");
      assert.equal(r.code, 0, r.stderr);
      const run = objectsOf(r.stdout)[0]!;
      assert.equal(condition(run).reason, "Succeeded");
      assert.deepEqual(run["status"]["results"], [{ name: "out", type: "string", value: "here" }]);
      assert.ok(existsSync(join(r.dir, "data")), "the data directory is made in the working directory");
    });
  }

  void it("takes a relative TEKTITE_DATA_DIR from the working directory too", { skip }, async (t) => {
    const r = await runFrom(t, "podman", "env");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(condition(objectsOf(r.stdout)[0]!).reason, "Succeeded");
    assert.ok(existsSync(join(r.dir, "data")));
  });
});
