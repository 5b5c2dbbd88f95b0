/**
 * Description of the machine the figures were taken on: CPUs, memory, kernel, versions.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, release, totalmem, version as osVersion } from "node:os";

/** What docs/benchmarks.md records about the machine. */
export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  podman: string;
  bwrap: string;
  /** `git describe`-like commit of the working tree, with `+dirty` when it has changes. */
  commit: string;
}

function firstLine(cmd: string, args: string[]): string {
  try {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
    if (r.status !== 0) return "not available";
    return (r.stdout || r.stderr).trim().split("\n")[0] ?? "";
  } catch {
    return "not available"; // binary missing
  }
}

/** Reads the machine description (read-only commands only). */
export function describeMachine(repo: string): Machine {
  const head = firstLine("git", ["-C", repo, "rev-parse", "--short", "HEAD"]);
  const dirty = spawnSync("git", ["-C", repo, "status", "--porcelain", "--untracked-files=no"], {
    encoding: "utf8",
  }).stdout?.trim();
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${release()} (${osVersion()})`,
    node: process.version,
    podman: firstLine("podman", ["--version"]),
    bwrap: firstLine("bwrap", ["--version"]),
    commit: dirty ? `${head}+dirty` : head,
  };
}
