/**
 * What preparing a TaskRun attempt does to the host, as data: directories to make, files to
 * write, links to create. The plan records them in order (`DiskEffects`); `apply-effects.ts`
 * performs them. Pure: recording touches nothing.
 */

/** A uid/gid the files belong to when the step runs as another user (applied only as root). */
export interface FileOwner {
  uid: number;
  gid: number;
}

export const DiskOp = {
  RemoveTree: "removeTree",
  Mkdir: "mkdir",
  Symlink: "symlink",
  WriteFile: "writeFile",
} as const;

export type DiskEffect =
  /** Removes `path` and everything below it, if present. */
  | { op: typeof DiskOp.RemoveTree; path: string }
  /**
   * Makes `path` and its parents (`mode` for the ones created), then sets `chmod` when given.
   * With `parentMade` an earlier effect made the parent: one `mkdir`, an existing directory kept.
   */
  | {
      op: typeof DiskOp.Mkdir;
      path: string;
      mode?: number;
      chmod?: number;
      owner?: FileOwner;
      parentMade?: boolean;
    }
  /** Links `path` → `target`; with `keepExisting` an entry already at `path` is left as it is. */
  | { op: typeof DiskOp.Symlink; target: string; path: string; keepExisting: boolean }
  /** Writes `content` to `path` (created with `mode`), then sets `chmod` when given. */
  | {
      op: typeof DiskOp.WriteFile;
      path: string;
      content: string;
      mode?: number;
      chmod?: number;
      owner?: FileOwner;
    };

type Opts<E> = Omit<E, "op" | "path">;
type MkdirEffect = Extract<DiskEffect, { op: typeof DiskOp.Mkdir }>;
type WriteEffect = Extract<DiskEffect, { op: typeof DiskOp.WriteFile }>;

/** Records effects in the order they must happen. */
export class DiskEffects {
  readonly list: DiskEffect[] = [];

  removeTree(path: string): void {
    this.list.push({ op: DiskOp.RemoveTree, path });
  }

  mkdir(path: string, opts: Opts<MkdirEffect> = {}): string {
    this.list.push({ op: DiskOp.Mkdir, path, ...opts });
    return path;
  }

  symlink(target: string, path: string, opts: { keepExisting: boolean }): void {
    this.list.push({ op: DiskOp.Symlink, target, path, keepExisting: opts.keepExisting });
  }

  writeFile(path: string, content: string, opts: Omit<Opts<WriteEffect>, "content"> = {}): void {
    this.list.push({ op: DiskOp.WriteFile, path, content, ...opts });
  }
}
