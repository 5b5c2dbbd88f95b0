/** Where tektite keeps its files, decided once at start-up from flags and the environment. */
import { chmodSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** `--data-dir`, else `$TEKTITE_DATA_DIR`, else `$XDG_DATA_HOME/tektite`, else `~/.local/share/tektite`. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // Absolute, since the container engine takes its bind sources and volume names from it.
  if (flag) return resolve(flag);
  if (env["TEKTITE_DATA_DIR"]) return resolve(env["TEKTITE_DATA_DIR"]);
  const xdg = env["XDG_DATA_HOME"];
  return join(xdg && xdg !== "" ? xdg : join(homedir(), ".local", "share"), "tektite");
}

/**
 * Creates the data directory (and its parents) readable by its owner only, and tightens an
 * existing one: it holds the API token, the database with every Secret, and the runs' logs.
 */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Whether output should be plain (no colour, no progress lines): not a TTY, CI, or NO_COLOR. */
export function plainOutput(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return !isTTY || env["CI"] === "true" || env["NO_COLOR"] !== undefined;
}
