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

export class RotatingLog {
  private fd: number;
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
    this.fd = openMakingParents(path, truncate ? "w" : "a", mode);
    this.size = fstatSync(this.fd).size;
  }

  write(chunk: Buffer): void {
    let data = chunk;
    if (this.size + data.length > this.half) {
      if (data.length >= this.half) data = data.subarray(data.length - this.half);
      this.rotate();
    }
    writeSync(this.fd, data);
    this.size += data.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, rotatedLogPath(this.path));
    this.fd = openSync(this.path, "w", this.mode);
    this.size = 0;
  }
}
