/** The host directory each attempt keeps its files in, and what it tells about a lost attempt. */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TaskRun } from "../../api/types.js";
import { podNameFor } from "./status.js";
import { safeName } from "./volumes.js";

/** The host directory of attempt `podName`: `<dataDir>/pods/<namespace>/<podName>`. */
export function attemptDirFor(dataDir: string, namespace: string, podName: string): string {
  return safeName(safeName(join(dataDir, "pods"), namespace), podName);
}

/** Removes the directories of every attempt a TaskRun may have had (the first and each retry). */
export function removeAttemptDirs(
  dataDir: string,
  namespace: string,
  name: string,
  maxRetries: number,
): void {
  for (let i = 0; i <= maxRetries; i++)
    rmSync(attemptDirFor(dataDir, namespace, podNameFor(name, i)), { recursive: true, force: true });
}

/**
 * Whether any step of the attempt may have begun: its status says so, or a step's log file exists
 * (executors create it just before starting the step, so a step whose state was not yet written
 * when the process died is not run a second time).
 */
export function anyStepStarted(tr: TaskRun, attemptDir: string): boolean {
  if ((tr.status?.steps ?? []).some((s) => s.running !== undefined || s.terminated !== undefined))
    return true;
  let logs: string[];
  try {
    logs = readdirSync(join(attemptDir, "logs"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  return logs.some((f) => f.startsWith("step-"));
}
