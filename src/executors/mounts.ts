/**
 * Mounts as an executor applies them: which mount covers a container path, and the host path
 * behind it. Paths are cleaned like Go's `filepath.Clean`, so `..` cannot climb out of a mount.
 *
 * @module
 */
import { join, posix } from "node:path";
import type { Mount, OutputFile } from "./executor.js";

/** `filepath.Clean` for container paths: no trailing slash, no `.`/`..`/duplicate separators. */
export function cleanPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** The mount whose container path is the longest prefix of `containerPath`, if any. */
export function mountFor(mounts: readonly Mount[], containerPath: string): Mount | undefined {
  const p = cleanPath(containerPath);
  let best: Mount | undefined;
  let bestLen = -1;
  for (const m of mounts) {
    const mp = cleanPath(m.containerPath);
    const inside = p === mp || mp === "/" || p.startsWith(mp + "/");
    if (inside && mp.length > bestLen) {
      best = m;
      bestLen = mp.length;
    }
  }
  return best;
}

/**
 * Translates a container path to the host path behind it through `mounts` (longest-prefix
 * match), or undefined when no mount covers it. `..` cannot climb out of the mount: the path is
 * cleaned first.
 */
export function hostPathFor(mounts: readonly Mount[], containerPath: string): string | undefined {
  const m = mountFor(mounts, containerPath);
  if (m === undefined) return undefined;
  const p = cleanPath(containerPath);
  const mp = cleanPath(m.containerPath);
  const rest = mp === "/" ? p.slice(1) : p.slice(mp.length + 1);
  return rest === "" ? m.hostPath : join(m.hostPath, rest);
}

/**
 * Where a step's `stdoutConfig`/`stderrConfig` path lands: the writable mount it lies in and the
 * path inside it. `path` is a container path, or with `hostPaths` (a host executor without a
 * sandbox, whose steps may see host paths) a container or a host path. Undefined when no writable mount holds it:
 * such a file would live only in the container's own filesystem, which nothing outlives.
 */
export function outputFileFor(
  mounts: readonly Mount[],
  path: string,
  field: OutputFile["field"],
  hostPaths: boolean,
): OutputFile | undefined {
  const p = cleanPath(path);
  const candidates = hostPaths
    ? [...mounts, ...mounts.map((m) => ({ ...m, containerPath: m.hostPath }))].filter((m) => !m.readOnly)
    : mounts;
  const m = mountFor(candidates, p);
  if (m === undefined || m.readOnly) return undefined;
  const mp = cleanPath(m.containerPath);
  const rest = mp === "/" ? p.slice(1) : p.slice(mp.length + 1);
  if (rest === "") return undefined;
  return { root: m.hostPath, path: rest, containerPath: path, field };
}
