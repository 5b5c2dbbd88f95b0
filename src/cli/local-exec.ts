/**
 * Exec into a step of a TaskRun run by this machine (`tektite run`, or a server sharing the data
 * directory), straight from the records its executor keeps in the attempt directory
 * (`<data>/pods/<ns>/<pod>/exec/<container>.json`), without a server in between.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readExecTarget, type ExecTarget } from "../executors/exec-target.js";
import { startExec, type ExecRequest } from "../executors/exec.js";
import type { ExecStreams } from "./client/exec.js";

export interface LocalTarget {
  pod: string;
  container: string;
  target: ExecTarget;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

/**
 * The running step (or sidecar) of TaskRun `name` that can be entered: `container` when given,
 * else its running step; the latest attempt first. Undefined when none is running here.
 */
export function findLocalTarget(
  dataDir: string,
  namespace: string,
  name: string,
  container?: string,
): LocalTarget | undefined {
  const podsDir = join(dataDir, "pods", namespace);
  const attempt = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-pod(?:-retry(\\d+))?$`);
  const pods = listDir(podsDir)
    .map((p) => ({ p, m: attempt.exec(p) }))
    .filter((x) => x.m !== null)
    .sort((a, b) => Number(b.m?.[1] ?? -1) - Number(a.m?.[1] ?? -1));
  for (const { p } of pods) {
    const podDir = join(podsDir, p);
    const names = listDir(join(podDir, "exec"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length));
    const wanted = container ?? names.find((n) => n.startsWith("step-"));
    if (wanted === undefined || !names.includes(wanted)) continue;
    const target = readExecTarget(podDir, wanted);
    if (target !== undefined) return { pod: p, container: wanted, target };
  }
  return undefined;
}

/** Starts `req` in a local target, as {@link ExecStreams}. */
export async function openLocalExec(t: LocalTarget, req: ExecRequest): Promise<ExecStreams> {
  const s = await startExec(t.container, t.target, req);
  return {
    writeStdin: (d) => s.stdin.write(d),
    endStdin: () => s.stdin.end(),
    resize: (cols, rows) => s.resize(cols, rows),
    onStdout: (f) => s.stdout.on("data", f),
    onStderr: (f) => s.stderr.on("data", f),
    done: s.done,
  };
}
