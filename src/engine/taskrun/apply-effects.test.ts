import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { applyDiskEffects } from "./apply-effects.js";
import { DiskEffects } from "./disk-effects.js";

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "tektite-effects-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

void describe("applyDiskEffects", () => {
  void it("makes directories, files and links in order, with their modes", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "stale"), "old");
    const fx = new DiskEffects();
    fx.removeTree(join(dir, "stale"));
    fx.mkdir(join(dir, "a/b"), { chmod: 0o777 });
    fx.mkdir(join(dir, "creds"), { mode: 0o700 });
    fx.writeFile(join(dir, "creds/token"), "t", { mode: 0o600, chmod: 0o600 });
    fx.writeFile(join(dir, "a/script"), "#!/bin/sh\n", { chmod: 0o755 });
    fx.symlink("a/b", join(dir, "link"), { keepExisting: true });
    fx.symlink("elsewhere", join(dir, "link"), { keepExisting: true });
    applyDiskEffects(fx.list);
    assert.equal(existsSync(join(dir, "stale")), false);
    assert.equal(mode(join(dir, "a/b")), 0o777);
    assert.equal(mode(join(dir, "creds")), 0o700);
    assert.equal(mode(join(dir, "creds/token")), 0o600);
    assert.equal(readFileSync(join(dir, "creds/token"), "utf8"), "t");
    assert.equal(mode(join(dir, "a/script")), 0o755);
    assert.ok(lstatSync(join(dir, "link")).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, "link")), "a/b");
  });

  void it("a link that must be new fails when something is already there", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "taken"), "");
    const fx = new DiskEffects();
    fx.symlink("target", join(dir, "taken"), { keepExisting: false });
    assert.throws(() => applyDiskEffects(fx.list), /EEXIST/);
  });

  void it("an owner is applied only when running as root", (t) => {
    const dir = tempDir(t);
    const fx = new DiskEffects();
    fx.writeFile(join(dir, "f"), "x", { owner: { uid: 4242, gid: 4242 } });
    applyDiskEffects(fx.list);
    const expected = process.getuid?.() === 0 ? 4242 : process.getuid?.();
    assert.equal(statSync(join(dir, "f")).uid, expected);
  });
});
