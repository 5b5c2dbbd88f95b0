/** Finding a host command the way a shell does: the first executable `cmd` in a PATH's entries. */
import { accessSync, constants as fsConstants } from "node:fs";
import { join } from "node:path";

/** The path of the first executable `cmd` under `pathEnv`'s entries (empty ones skipped), or undefined. */
export function findOnPath(cmd: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(":")) {
    if (dir === "") continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, fsConstants.X_OK);
      return p;
    } catch {
      continue; // not in this PATH entry
    }
  }
  return undefined;
}
