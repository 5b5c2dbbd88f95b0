/**
 * Bundles the CLI's module graph (`dist/src/cli/main.js`, compiled by tsc, and the npm packages it
 * imports) into one CommonJS script, `dist/bundle/cli/tektite.cjs`, so start-up reads one file
 * instead of resolving ~110. `bin/tektite.js` runs it when present.
 *
 * CommonJS, not ESM, because node 20 can keep V8's compiled code only for a script
 * (`vm.Script` with `cachedData`), which `bin/tektite.js` does: compiling the bundle's modules was
 * the largest single cost of a one-step `tektite run`. Lazily imported modules stay lazy: the
 * bundler wraps each in a function that runs on its first `import()`.
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
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(repo, "dist", "bundle", "cli");

/** Packages node must load itself. */
const EXTERNAL = ["better-sqlite3"];

/**
 * Node's own modules as bundled CommonJS modules that re-export them. As plain externals, the
 * bundler would require every one at the top of the script, so `tektite run` would load http2,
 * tls and zlib for the server and the resolvers it does not use; this way each is required when
 * the first module importing it is initialised.
 */
const BUILTIN_PREFIX = "\0builtin:";
const lazyBuiltins = {
  name: "lazy-builtins",
  resolveId(id: string, importer: string | undefined) {
    if (!isBuiltin(id)) return null;
    if (importer?.startsWith(BUILTIN_PREFIX)) return { id, external: true };
    return { id: `${BUILTIN_PREFIX}${id.replace(/^node:/, "")}` };
  },
  load(id: string) {
    if (!id.startsWith(BUILTIN_PREFIX)) return null;
    return `module.exports = require(${JSON.stringify(`node:${id.slice(BUILTIN_PREFIX.length)}`)});`;
  },
};

rmSync(outDir, { recursive: true, force: true });
await build({
  input: { tektite: join(repo, "dist", "src", "cli", "main.js") },
  platform: "node",
  plugins: [lazyBuiltins],
  external: (id) => EXTERNAL.some((p) => id === p || id.startsWith(`${p}/`)),
  logLevel: "warn",
  output: {
    dir: outDir,
    format: "cjs",
    entryFileNames: "[name].cjs",
    codeSplitting: false,
    sourcemap: false,
  },
});
