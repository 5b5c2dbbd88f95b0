/**
 * Loading custom-task controllers from plugin files (compiled JavaScript modules): a module's
 * default export (one controller or an array of them) and/or its named `customTasks` array.
 * Used by `tektite run --plugin FILE`, `tektite serve --plugin FILE` and the config file.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isCustomTaskController, type CustomTaskController } from "./controller.js";
import { PluginError, PluginErrorReason, errorMessage } from "./errors.js";

function collect(value: unknown, path: string, exportName: string): CustomTaskController[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    if (isCustomTaskController(item)) return item;
    const where = Array.isArray(value) ? `${exportName}[${i}]` : exportName;
    throw new PluginError(
      PluginErrorReason.InvalidExport,
      path,
      `plugin ${path}: ${where} is not a custom task controller (make it with defineCustomTask or defineCustomReconciler from "tektite/sdk")`,
    );
  });
}

/**
 * `import()` of a module outside tektite. The bundled CLI runs from V8's code cache, where node 20
 * loses the script's dynamic-import callback, so `bin/tektite.js` lends its own `import()` under
 * this symbol; the tsc output (and the SDK's users) use the plain one.
 */
const IMPORT_HOOK = Symbol.for("tektite.importModule");
function importModule(url: string): Promise<unknown> {
  const lent = (globalThis as Record<symbol, unknown>)[IMPORT_HOOK];
  return typeof lent === "function" ? (lent as (u: string) => Promise<unknown>)(url) : import(url);
}

/** Loads one plugin file; relative paths resolve against `cwd`. */
export async function loadPlugin(path: string, cwd: string = process.cwd()): Promise<CustomTaskController[]> {
  const file = resolve(cwd, path);
  if (!existsSync(file))
    throw new PluginError(PluginErrorReason.NotFound, path, `plugin ${path}: file not found (${file})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await importModule(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginError(PluginErrorReason.ImportFailed, path, `plugin ${path}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const found = [
    ...collect(mod["default"], path, "default export"),
    ...collect(mod["customTasks"], path, "customTasks"),
  ];
  const unique = [...new Set(found)];
  if (unique.length === 0) {
    throw new PluginError(
      PluginErrorReason.NoControllers,
      path,
      `plugin ${path}: exports no custom task controller (export default defineCustomTask(...) or export const customTasks = [...])`,
    );
  }
  return unique;
}

/** Loads every plugin file, in order; the first failure throws a {@link PluginError}. */
export async function loadPlugins(paths: readonly string[], cwd?: string): Promise<CustomTaskController[]> {
  const out: CustomTaskController[] = [];
  for (const p of paths) out.push(...(await loadPlugin(p, cwd)));
  return out;
}
