/**
 * A container's log file with a size bound, kept as the kubelet keeps container logs: when the
 * current file would pass half the bound it becomes `<file>.1` (replacing the older one) and a new
 * file starts, so the newest output — the tail — is what remains, in at most `maxBytes` on disk.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Opens `path` with `flags`, creating its parent directories only when they are missing (the
 * common case, a pod's logs directory that exists already, costs a single open).
 */
function openMakingParents(path: string, flags: "a" | "w", mode?: number): number {
  try {
    return openSync(path, flags, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, flags, mode);
  }
}

/** The rotated predecessor of a log file (read before the file itself). */
export function rotatedLogPath(path: string): string {
  return `${path}.1`;
}

/**
 * Appending, the file is made on the first write: a container that prints nothing costs no file
 * (a log that does not exist reads as empty).
 */
export class RotatingLog {
  private fd: number | undefined;
  private size = 0;
  private readonly half: number;

  /**
   * @param maxBytes - bound on the bytes kept (current plus rotated file); 0 or undefined: none.
   * @param mode - file mode for a file this creates.
   * @param truncate - start the file empty instead of appending to it.
   */
  constructor(
    private readonly path: string,
    maxBytes: number | undefined,
    private readonly mode?: number,
    truncate = false,
  ) {
    this.half = maxBytes !== undefined && maxBytes > 0 ? Math.max(1, Math.floor(maxBytes / 2)) : Infinity;
    if (truncate) this.fd = openMakingParents(path, "w", mode); // an earlier file's content goes at once
  }

  private opened(): number {
    if (this.fd === undefined) {
      this.fd = openMakingParents(this.path, "a", this.mode);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  write(chunk: Buffer): void {
    let data = chunk;
    const fd = this.opened();
    const rotating = this.size + data.length > this.half;
    if (rotating && data.length >= this.half) data = data.subarray(data.length - this.half);
    writeSync(rotating ? this.rotate(fd) : fd, data);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Starts a new file after moving the current one aside; returns its descriptor. */
  private rotate(fd: number): number {
    closeSync(fd);
    renameSync(this.path, rotatedLogPath(this.path));
    this.fd = openSync(this.path, "w", this.mode);
    this.size = 0;
    return this.fd;
  }
}
