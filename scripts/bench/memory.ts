/**
 * Benchmark 6, memory: VmRSS of `tektite serve` idle (empty data directory) and with 10,000
 * stored TaskRuns, each read after a list; an idle node process as the floor.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { rssKiB, startServe } from "./server.js";
import { seededDataDir } from "./seed.js";
import type { BenchRow, Benchmark } from "./types.js";

const PATH = "/apis/tekton.dev/v1/namespaces/default/taskruns";
const MEMORY_TARGET_MIB = 120;

function mib(kib: number | undefined): string {
  return kib === undefined ? "n/a" : `${(kib / 1024).toFixed(1)} MiB`;
}

/** RSS of an idle `node -e` process after a settle time. */
async function nodeIdleKiB(): Promise<number | undefined> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"], { stdio: "ignore" });
  await sleep(700);
  const kib = rssKiB(child.pid!);
  child.kill();
  return kib;
}

/** Starts serve on `dir`, lists TaskRuns `lists` times, returns VmRSS after each phase. */
async function serveRss(
  repo: string,
  dir: string,
  lists: number,
): Promise<{ idle?: number; afterList?: number; items: number }> {
  const srv = await startServe(repo, dir, ["--executor", "host", "--sandbox", "none"]);
  try {
    await sleep(1000);
    const idle = rssKiB(srv.pid);
    let items = 0;
    for (let i = 0; i < lists; i++) {
      const r = await srv.call("GET", PATH);
      if (r.status !== 200) throw new Error(`GET ${PATH}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      items = (JSON.parse(r.body) as { items: unknown[] }).items.length;
    }
    await sleep(300);
    const afterList = rssKiB(srv.pid);
    return {
      ...(idle !== undefined ? { idle } : {}),
      ...(afterList !== undefined ? { afterList } : {}),
      items,
    };
  } finally {
    await srv.stop();
  }
}

export const memory: Benchmark = {
  name: "memory",
  title: "Memory of `tektite serve`",
  async run(ctx) {
    const count = 10_000;
    const method = `VmRSS from /proc/<pid>/status of \`tektite serve --executor host --sandbox none\`: on an empty data directory 1 s after start and after one list; on a data directory holding ${count} completed TaskRuns (written through the SQLite store) 1 s after start and after 3 lists of all of them. Floor: an idle \`node -e\` process.`;
    const emptyDir = join(ctx.scratch, "memory-empty");
    mkdirSync(emptyDir, { recursive: true });
    try {
      const floor = await nodeIdleKiB();
      const empty = await serveRss(ctx.repo, emptyDir, 1);
      const seed = seededDataDir(ctx.scratch, count);
      const full = await serveRss(ctx.repo, seed.dir, 3);
      ctx.log(`  idle ${mib(empty.afterList)}, with ${full.items} TaskRuns ${mib(full.afterList)}`);
      const rows: BenchRow[] = [
        {
          metric: "floor: idle node process",
          target: "—",
          measured: mib(floor),
          verdict: "info",
          data: { rssKiB: floor ?? -1 },
        },
        {
          metric: "`tektite serve` idle (empty store, after a list)",
          target: "—",
          measured: `${mib(empty.afterList)} (${mib(empty.idle)} before the list)`,
          verdict: "info",
          ...(floor && empty.afterList ? { ratio: empty.afterList / floor } : {}),
          data: { rssKiB: empty.afterList ?? -1, beforeListKiB: empty.idle ?? -1 },
        },
        {
          metric: `\`tektite serve\` with ${full.items} TaskRuns (after 3 lists)`,
          target: `≤ ${MEMORY_TARGET_MIB} MiB`,
          measured: `${mib(full.afterList)} (${mib(full.idle)} before the lists)`,
          verdict:
            full.afterList === undefined
              ? "blocked"
              : full.afterList / 1024 <= MEMORY_TARGET_MIB
                ? "met"
                : "missed",
          dominates:
            "V8's young generation, grown to its maximum by the start-up reads of every stored run (the live heap is ~16 MiB); the lists themselves are streamed in pieces; see the notes",
          ...(floor && full.afterList ? { ratio: full.afterList / floor } : {}),
          data: { rssKiB: full.afterList ?? -1, beforeListKiB: full.idle ?? -1 },
        },
      ];
      return { method, rows, notes: ["The ratio column is RSS / the idle node process."] };
    } catch (err) {
      return {
        method,
        rows: [{ metric: "memory", target: "—", measured: "—", verdict: "blocked" }],
        notes: [`Blocked: ${(err as Error).message}`],
      };
    }
  },
};
