/**
 * Where the custom-task controllers are wired: the built-ins (Wait, Approval, CEL) plus those a
 * user's `--plugin` modules export. The engine only dispatches to what it is given.
 */
import { builtinControllers } from "../customtasks/builtins/index.js";
import type { CustomTaskController } from "../customtasks/controller.js";
import { PluginError } from "../customtasks/errors.js";
import { loadPlugins } from "../customtasks/plugins.js";
import { dispatcherWithPlugins, type CustomRunDispatcher } from "../engine/customrun/dispatcher.js";
import { UserInputError } from "./errors.js";

/** The built-in controllers plus `plugins` (a plugin replaces a built-in of the same apiVersion/kind). */
export function builtinDispatcher(plugins: readonly CustomTaskController[] = []): CustomRunDispatcher {
  return dispatcherWithPlugins(builtinControllers(), plugins);
}

/** The built-in custom tasks plus those of `--plugin` files. */
export async function loadCustomTasks(paths: string[]): Promise<CustomRunDispatcher> {
  try {
    return builtinDispatcher(await loadPlugins(paths));
  } catch (err) {
    if (err instanceof PluginError) throw new UserInputError(err.message);
    throw err;
  }
}
