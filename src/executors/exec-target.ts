/**
 * Where a running container of an attempt can be entered (`kubectl exec`, `tektite debug`):
 * each executor records it in the attempt directory while the container runs, so any process
 * that knows the directory (the server, another CLI) can reach it without the executor's state.
 *
 * `<dir>/exec/<container>.json` (mode 0600: it holds the step's env) exists from the container's
 * start until it ends.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** How to run a command inside one container. */
export type ExecTarget =
  | {
      runtime: "process";
      /** The process the executor spawned: bwrap when sandboxed, else the command itself. */
      pid: number;
      sandboxed: boolean;
      /** The container's env and working directory, as it sees them. */
      env: Record<string, string>;
      cwd: string;
    }
  | { runtime: "podman" | "docker"; name: string };

function recordPath(podDir: string, container: string): string {
  return join(podDir, "exec", `${container}.json`);
}

/** Records `target` for `container` (replacing an earlier record). */
export function recordExecTarget(podDir: string, container: string, target: ExecTarget): void {
  const write = (): void =>
    writeFileSync(recordPath(podDir, container), JSON.stringify(target), { mode: 0o600 });
  try {
    write();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    mkdirSync(join(podDir, "exec"), { recursive: true, mode: 0o700 }); // the pod's first record
    write();
  }
}

/** Forgets `container`'s record (it ended). */
export function forgetExecTarget(podDir: string, container: string): void {
  try {
    unlinkSync(recordPath(podDir, container));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** The record of `container`, or undefined when it is not running. */
export function readExecTarget(podDir: string, container: string): ExecTarget | undefined {
  let raw: string;
  try {
    raw = readFileSync(recordPath(podDir, container), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return JSON.parse(raw) as ExecTarget;
  } catch {
    return undefined; // being written: treat as not running yet
  }
}
