/** Where tektite keeps its files, decided once at start-up from flags and the environment. */
import { homedir } from "node:os";
import { join } from "node:path";

/** `--data-dir`, else `$TEKTITE_DATA_DIR`, else `$XDG_DATA_HOME/tektite`, else `~/.local/share/tektite`. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env["TEKTITE_DATA_DIR"]) return env["TEKTITE_DATA_DIR"];
  const xdg = env["XDG_DATA_HOME"];
  return join(xdg && xdg !== "" ? xdg : join(homedir(), ".local", "share"), "tektite");
}

/** Whether output should be plain (no colour, no progress lines): not a TTY, CI, or NO_COLOR. */
export function plainOutput(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return !isTTY || env["CI"] === "true" || env["NO_COLOR"] !== undefined;
}
