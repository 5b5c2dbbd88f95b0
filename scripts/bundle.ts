/**
 * Bundles the CLI's module graph (`dist/src/cli/main.js`, compiled by tsc, and the npm packages it
 * imports) into `dist/bundle/cli/`: one entry file plus a chunk per lazily imported command, so
 * start-up reads a handful of files instead of resolving ~110. `bin/tektite.js` uses it when present.
 *
 * Left outside the bundle: node's own modules, `better-sqlite3` (a native addon) and what the code
 * loads with `createRequire` (CEL), which node resolves from `node_modules` at run time.
 *
 *   node dist/scripts/bundle.js
 *
 * The bundle sits two directories below `dist/` like the compiled modules, so paths the code
 * resolves against `import.meta.url` (`dist/ui/`, `images/`) stay the same; it is outside
 * `dist/src` so the test runner and the import-cycle check never see its chunks.
 *
 * @module
 */

import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(repo, "dist", "bundle", "cli");

/** Packages node must load itself. */
const EXTERNAL = ["better-sqlite3"];

rmSync(outDir, { recursive: true, force: true });
await build({
  input: { tektite: join(repo, "dist", "src", "cli", "main.js") },
  platform: "node",
  external: (id) => id.startsWith("node:") || EXTERNAL.some((p) => id === p || id.startsWith(`${p}/`)),
  logLevel: "warn",
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunk-[hash].js",
    sourcemap: false,
  },
});
