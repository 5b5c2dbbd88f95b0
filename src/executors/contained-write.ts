/**
 * Opening a step's `stdoutConfig`/`stderrConfig` file from the host without leaving the volume
 * it lies in. Tekton's entrypoint opens it inside the container; the executors open it as the
 * host user, so a step that made the path (or a directory on the way to it) a symbolic link to a
 * host file must not get that file written. Each component is opened relative to the directory
 * opened before it (`/proc/self/fd/<dir>/<name>`, like `openat`), never following a link, so a
 * sidecar swapping a directory for a link while the walk runs cannot redirect it either.
 *
 * @module
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, mkdirSync, openSync } from "node:fs";
import type { OutputFile } from "./executor.js";

/** An output file the engine refuses to open: the step is failed with this message. */
export class OutputFileRefused extends Error {
  constructor(
    readonly file: OutputFile,
    why: string,
  ) {
    super(`${file.field} "${file.containerPath}" cannot be written: ${why}`);
    this.name = "OutputFileRefused";
  }
}

const DIR_FLAGS = fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW;
const FILE_FLAGS =
  fsConstants.O_WRONLY |
  fsConstants.O_CREAT |
  fsConstants.O_NOFOLLOW |
  // A FIFO without a reader fails at once (ENXIO) instead of blocking the engine.
  fsConstants.O_NONBLOCK;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/** Why opening `name` in `dirFd` failed (with O_DIRECTORY, a link reports ENOTDIR: look closer). */
function refusal(file: OutputFile, dirFd: number, name: string, err: unknown): OutputFileRefused {
  const isLink = (): boolean =>
    lstatSync(within(dirFd, name), { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  switch (code(err) === "ENOTDIR" && isLink() ? "ELOOP" : code(err)) {
    case "ELOOP":
      return new OutputFileRefused(file, `"${name}" is a symbolic link, which is not followed`);
    case "ENOTDIR":
      return new OutputFileRefused(file, `"${name}" is not a directory`);
    case "EISDIR":
      return new OutputFileRefused(file, `"${name}" is a directory`);
    case "ENXIO":
      return new OutputFileRefused(file, `"${name}" is not a regular file`);
    default:
      return new OutputFileRefused(file, (err as Error).message);
  }
}

function within(dirFd: number, name: string): string {
  return `/proc/self/fd/${dirFd}/${name}`;
}

/**
 * Opens `file` for writing (appending, or truncated with `truncate`), creating missing parent
 * directories, and returns the descriptor. Throws {@link OutputFileRefused} when a component is a
 * link, a directory is not one, or the file is not a regular file.
 */
export function openOutputFile(file: OutputFile, opts: { truncate?: boolean } = {}): number {
  const parts = file.path.split("/").filter((p) => p !== "" && p !== ".");
  const last = parts.pop();
  if (last === undefined || parts.includes("..") || last === "..")
    throw new OutputFileRefused(file, "it names no file inside its volume");
  let dirFd: number;
  try {
    // The volume's own directory was chosen by the engine, not by a step: it may be a link.
    dirFd = openSync(file.root, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  } catch (err) {
    throw new OutputFileRefused(file, (err as Error).message);
  }
  try {
    for (const part of parts) {
      try {
        mkdirSync(within(dirFd, part));
      } catch (err) {
        if (code(err) !== "EEXIST") throw refusal(file, dirFd, part, err);
      }
      let next: number;
      try {
        next = openSync(within(dirFd, part), DIR_FLAGS);
      } catch (err) {
        throw refusal(file, dirFd, part, err);
      }
      closeSync(dirFd);
      dirFd = next;
    }
    let fd: number;
    try {
      const flags = FILE_FLAGS | (opts.truncate === true ? fsConstants.O_TRUNC : fsConstants.O_APPEND);
      fd = openSync(within(dirFd, last), flags, 0o666);
    } catch (err) {
      throw refusal(file, dirFd, last, err);
    }
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new OutputFileRefused(file, `"${last}" is not a regular file`);
    }
    return fd;
  } finally {
    closeSync(dirFd);
  }
}
