/** Performs a prepared attempt's {@link DiskEffect}s on the host, in order. */
import { chmodSync, chownSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { DiskOp, type DiskEffect, type FileOwner } from "./disk-effects.js";

// Only root can give files away; otherwise they stay the caller's, as rootless runtimes map them.
function chownIfRoot(path: string, owner: FileOwner | undefined): void {
  if (owner !== undefined && process.getuid?.() === 0) chownSync(path, owner.uid, owner.gid);
}

/** One `mkdir` (a recursive one costs a failed call per missing parent); an existing directory is kept. */
function mkdirKeepingExisting(path: string, mode: number | undefined): void {
  try {
    mkdirSync(path, mode !== undefined ? { mode } : {});
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(path).isDirectory()) throw err;
  }
}

export function applyDiskEffects(effects: readonly DiskEffect[]): void {
  for (const e of effects) {
    switch (e.op) {
      case DiskOp.RemoveTree:
        rmSync(e.path, { recursive: true, force: true });
        break;
      case DiskOp.Mkdir:
        if (e.parentMade === true) mkdirKeepingExisting(e.path, e.mode);
        else mkdirSync(e.path, { recursive: true, ...(e.mode !== undefined ? { mode: e.mode } : {}) });
        if (e.chmod !== undefined) chmodSync(e.path, e.chmod);
        chownIfRoot(e.path, e.owner);
        break;
      case DiskOp.Symlink:
        try {
          symlinkSync(e.target, e.path);
        } catch (err) {
          if (!e.keepExisting || (err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        break;
      case DiskOp.WriteFile:
        writeFileSync(e.path, e.content, e.mode !== undefined ? { mode: e.mode } : {});
        if (e.chmod !== undefined) chmodSync(e.path, e.chmod);
        chownIfRoot(e.path, e.owner);
        break;
    }
  }
}
