/** Loading controllers from plugin files. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { PluginError } from "./errors.js";
import { loadPlugins } from "./plugins.js";

const sdkUrl = pathToFileURL(join(import.meta.dirname, "sdk.js")).href;
const dir = mkdtempSync(join(tmpdir(), "tektite-plugins-"));
function plugin(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `import { defineCustomTask, defineCustomReconciler } from ${JSON.stringify(sdkUrl)};\n${body}\n`,
  );
  return file;
}

describe("loadPlugins", () => {
  it("loads a module's default export and its named customTasks array, relative to cwd", async () => {
    plugin(
      "a.mjs",
      `export default defineCustomTask({ apiVersion: "a.dev/v1", kind: "A", run: () => ({}) });`,
    );
    plugin(
      "b.mjs",
      `export const customTasks = [
        defineCustomTask({ apiVersion: "b.dev/v1", kind: "B1", run: () => ({}) }),
        defineCustomReconciler({ apiVersion: "b.dev/v1", kind: "B2", reconcile: () => ({}) }),
      ];`,
    );
    const loaded = await loadPlugins(["a.mjs", join(dir, "b.mjs")], dir);
    assert.deepEqual(
      loaded.map((c) => [c.style, c.apiVersion, c.kind]),
      [
        ["task", "a.dev/v1", "A"],
        ["task", "b.dev/v1", "B1"],
        ["reconciler", "b.dev/v1", "B2"],
      ],
    );
  });

  it("reports a missing file, a failing import, a module without controllers and a bad export", async () => {
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: unknown) => (e instanceof PluginError ? e.reason : String(e)),
      );
    assert.equal(await reason(loadPlugins(["missing.mjs"], dir)), "NotFound");
    assert.equal(
      await reason(loadPlugins([plugin("throws.mjs", "throw new Error('bad plugin');")])),
      "ImportFailed",
    );
    assert.equal(await reason(loadPlugins([plugin("empty.mjs", "export const x = 1;")])), "NoControllers");
    assert.equal(
      await reason(loadPlugins([plugin("bad.mjs", "export default { apiVersion: 'x/v1', kind: 'X' };")])),
      "InvalidExport",
    );
  });
});
