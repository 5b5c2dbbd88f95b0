#!/usr/bin/env node
// The bundled CLI (dist/bundle/cli/tektite.cjs, made by `npm run build`) starts faster than the tsc
// output it is made from; it is skipped when tsc has rebuilt dist since (a checkout's
// dist/.tsbuildinfo is newer).
//
// The bundle runs as a vm.Script with V8's code cache, kept per command under the user's cache dir
// ($XDG_CACHE_HOME/tektite/code-cache, else ~/.cache/…): node 20 has no compile cache of its own,
// and compiling the bundle is most of a short command's start-up. The cache is written once, at the
// exit of the first run of a command after a build (so it holds what that command compiled); a
// stale, foreign or damaged file is rejected by V8 and silently replaced. TEKTITE_NO_CODE_CACHE=1
// turns it off.
//
// CommonJS (see bin/package.json): an ES module here would start node's ESM loader for nothing.
"use strict";
const {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require("node:fs");
const Module = require("node:module");
const { homedir } = require("node:os");
const { dirname, join } = require("node:path");
const { Script, constants: vmConstants } = require("node:vm");

/** Commands with a cache of their own (each compiles different parts of the bundle); the rest share one. */
const CACHED_COMMANDS = new Set([
  "run",
  "validate",
  "start",
  "serve",
  "get",
  "describe",
  "logs",
  "delete",
  "rerun",
]);

const here = __dirname;
const stat = (path) => statSync(path, { throwIfNoEntry: false });
const bundle = join(here, "..", "dist", "bundle", "cli", "tektite.cjs");
const bundled = stat(bundle);
const compiled = stat(join(here, "..", "dist", ".tsbuildinfo"));

if (bundled !== undefined && (compiled === undefined || bundled.mtimeMs >= compiled.mtimeMs))
  runBundle(bundled);
else void import("../dist/src/cli/main.js");

function runBundle(st) {
  // With a code cache, node 20 loses the script's import() callback: plugins are imported from here
  // (src/customtasks/plugins.ts).
  Object.defineProperty(globalThis, Symbol.for("tektite.importModule"), { value: (url) => import(url) });
  const cacheFile = codeCacheFile(st);
  const cached = cacheFile === undefined ? undefined : readOptional(cacheFile);
  const script = new Script(Module.wrap(readFileSync(bundle, "utf8")), {
    filename: bundle,
    cachedData: cached,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected))
    process.once("exit", () => writeCodeCache(cacheFile, script));
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle));
}

/** The cache file for this command and build, or undefined when caching is off. */
function codeCacheFile(st) {
  if (process.env.TEKTITE_NO_CODE_CACHE) return undefined;
  const arg = process.argv[2] ?? "";
  const command = CACHED_COMMANDS.has(arg) ? arg : "other";
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const build = `${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}`;
  return join(base, "tektite", "code-cache", `${command}.${build}.v8`);
}

function readOptional(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically and removes this command's caches of other builds; failures are ignored. */
function writeCodeCache(file, script) {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
    const command = file.slice(dir.length + 1).split(".")[0];
    for (const name of readdirSync(dir))
      if (name.startsWith(`${command}.`) && join(dir, name) !== file && !name.endsWith(".tmp"))
        rmSync(join(dir, name), { force: true });
  } catch {
    // no cache this time: the next run compiles again
  }
}
