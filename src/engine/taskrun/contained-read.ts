/**
 * Reading a file a step may have tampered with (results, step results, artifacts) without ever
 * leaving the attempt's directory: a step can replace a result file, or a directory on the way to
 * it, by a symbolic link to any host file (`/etc/shadow`, the API token). The engine reads as the
 * host user, so it must not follow such links, nor block on a FIFO, nor load a file of any size.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import { relative, sep } from "node:path";

/** What was found at a contained path. */
export const ContainedRead = {
  Absent: "absent",
  /** A symbolic link, or something other than a regular file: never read. */
  NotRegular: "notRegular",
  TooLarge: "tooLarge",
  Ok: "ok",
} as const;

export type ContainedFile =
  | { kind: typeof ContainedRead.Absent }
  | { kind: typeof ContainedRead.NotRegular; path: string }
  | { kind: typeof ContainedRead.TooLarge; size: number }
  | { kind: typeof ContainedRead.Ok; text: string };

const OPEN_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/**
 * Reads `path`, which must lie under `root` (a directory steps cannot replace), as UTF-8 text of at
 * most `maxBytes` bytes. Every component between `root` and the file must be a real directory and
 * the file a regular file; links are reported as {@link ContainedRead.NotRegular}, not followed.
 */
export function readContained(root: string, path: string, maxBytes: number): ContainedFile {
  const rel = relative(root, path);
  if (rel === "" || rel.startsWith("..") || rel.startsWith(sep)) {
    throw new Error(`internal error: ${path} is not under ${root}`);
  }
  const parts = rel.split(sep);
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    cur = `${cur}${sep}${part}`;
    const st = lstatSync(cur, { throwIfNoEntry: false });
    if (st === undefined) return { kind: ContainedRead.Absent };
    if (!st.isDirectory()) return { kind: ContainedRead.NotRegular, path: cur };
  }
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    const code = errno(err);
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: ContainedRead.Absent };
    if (code === "ELOOP" || code === "ENXIO" || code === "EISDIR")
      return { kind: ContainedRead.NotRegular, path };
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: ContainedRead.NotRegular, path };
    if (st.size > maxBytes) return { kind: ContainedRead.TooLarge, size: st.size };
    // The file may still grow (a sidecar writing it): read one byte past the limit to tell.
    const buf = Buffer.alloc(maxBytes + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > maxBytes) return { kind: ContainedRead.TooLarge, size: got };
    return { kind: ContainedRead.Ok, text: buf.subarray(0, got).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}
