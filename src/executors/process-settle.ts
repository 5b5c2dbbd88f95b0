/**
 * When a sidecar without probes counts as ready. Kubernetes calls such a container ready once it
 * has started, but Tekton's steps start only after the controller has seen that in the pod's
 * status and told the entrypoints (the downward `ready` file), so on a cluster a sidecar always
 * has a moment to do its first work: a sidecar that writes a file and then sleeps has written it.
 * Here the engine sees the start at once, so it waits until the sidecar's processes have settled
 * (none of them runnable: all asleep or waiting, twice in a row), at most {@link SETTLE_LIMIT_MS}.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a sidecar that keeps computing delays the steps at most. */
export const SETTLE_LIMIT_MS = 1000;
const POLL_MS = 10;

/** The state letter and parent of every process on the host (from /proc; empty without procfs). */
function processTable(): Map<number, { state: string; ppid: number }> {
  const out = new Map<number, { state: string; ppid: number }>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      // "<pid> (<comm>) <state> <ppid> ..."; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(e), { state: fields[0] ?? "", ppid: Number(fields[1]) });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Whether any process in the tree under `root` (itself included) is running or runnable. */
export function treeIsBusy(root: number, table = processTable()): boolean {
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const todo = [root];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    if (table.get(pid)?.state === "R") return true;
    todo.push(...(children.get(pid) ?? []));
  }
  return false;
}

/** Resolves once the tree under `root` has been idle on two polls in a row, or after the limit. */
export async function settled(root: number | undefined, signal?: AbortSignal): Promise<void> {
  if (root === undefined) return;
  let idle = 0;
  for (let waited = 0; waited < SETTLE_LIMIT_MS && idle < 2; waited += POLL_MS) {
    if (signal?.aborted === true) return;
    idle = treeIsBusy(root) ? 0 : idle + 1;
    if (idle < 2) await sleep(POLL_MS);
  }
}
