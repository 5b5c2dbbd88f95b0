/** `--plugin FILE`: the built-in custom tasks plus those a user's modules export. */
import { PluginError } from "../customtasks/errors.js";
import { loadPlugins } from "../customtasks/plugins.js";
import { defaultDispatcher, type CustomRunDispatcher } from "../engine/customrun/dispatcher.js";
import { UserInputError } from "./errors.js";

/** The built-in custom tasks plus those of `--plugin` files. */
export async function loadCustomTasks(paths: string[]): Promise<CustomRunDispatcher> {
  try {
    return defaultDispatcher(await loadPlugins(paths));
  } catch (err) {
    if (err instanceof PluginError) throw new UserInputError(err.message);
    throw err;
  }
}
