/**
 * The bundled CLI keeps V8's compiled code per command under the user's cache dir
 * (`$XDG_CACHE_HOME/tektite/code-cache/`): written by the first run of a command, used by the next,
 * replaced when damaged, never written with TEKTITE_NO_CODE_CACHE. A run succeeds the same
 * whichever way it started.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  condition,
  objectsOf,
  repoRoot,
  runCli,
  tempDir,
  writeYaml,
  type CliResult,
} from "../helpers/cli.js";

const TASKRUN = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: cached}
spec:
  taskSpec:
    steps:
      - {name: hi, image: busybox, script: "echo hello from the step"}
`;

function cacheFiles(cacheHome: string): string[] {
  const dir = join(cacheHome, "tektite", "code-cache");
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
}

void describe("the CLI's code cache", () => {
  void it("is built by `npm run build`", () => {
    assert.ok(
      existsSync(join(repoRoot, "dist", "bundle", "cli", "tektite.cjs")),
      "dist/bundle/cli/tektite.cjs is missing: run `npm run build`",
    );
  });

  void it("is written by the first run of a command, used by the next and replaced when damaged", async (t) => {
    const dir = tempDir(t);
    const cacheHome = join(dir, "cache");
    const file = writeYaml(dir, "tr.yaml", TASKRUN);
    const env = { XDG_CACHE_HOME: cacheHome };
    const run = () =>
      runCli(["run", "-f", file, "--executor", "host", "--data-dir", join(dir, "data"), "-o", "json"], {
        env,
      });

    const succeeded = (r: CliResult): void => {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr + r.stdout, /hello from the step/);
      assert.deepEqual(
        objectsOf(r.stdout).map((o) => [o["metadata"]["name"], condition(o).reason]),
        [["cached", "Succeeded"]],
      );
    };
    const first = await run();
    succeeded(first);
    const files = cacheFiles(cacheHome);
    assert.equal(files.length, 1, `one cache file for \`run\`: ${files.join(", ")}`);
    assert.match(files[0]!, /[/\\]run\.[^/\\]+\.v8$/);
    const written = statSync(files[0]!).mtimeMs;

    succeeded(await run());
    assert.deepEqual(cacheFiles(cacheHome), files);
    assert.equal(statSync(files[0]!).mtimeMs, written, "a cache V8 accepts is not rewritten");

    writeFileSync(files[0]!, "not a code cache");
    succeeded(await run());
    assert.notEqual(readFileSync(files[0]!, "utf8"), "not a code cache", "a damaged cache is replaced");
  });

  void it("is not written with TEKTITE_NO_CODE_CACHE=1", async (t) => {
    const dir = tempDir(t);
    const cacheHome = join(dir, "cache");
    const r = await runCli(["--version"], { env: { XDG_CACHE_HOME: cacheHome, TEKTITE_NO_CODE_CACHE: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cacheFiles(cacheHome), []);
  });
});
