import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutputFileRefused, openOutputFile } from "./contained-write.js";
import type { OutputFile } from "./executor.js";

function volume(): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), "tektite-contained-"));
  const root = join(base, "volume");
  mkdirSync(root);
  const outside = join(base, "host-file");
  writeFileSync(outside, "host secret\n");
  return { root, outside };
}

const file = (root: string, path: string): OutputFile => ({
  root,
  path,
  containerPath: `/data/${path}`,
  field: "stdoutConfig.path",
});

function write(f: OutputFile, text: string, truncate = false): void {
  const fd = openOutputFile(f, { truncate });
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

void describe("openOutputFile", () => {
  void it("creates the missing parent directories and appends to the file", () => {
    const { root } = volume();
    write(file(root, "a/b/out.txt"), "one\n");
    write(file(root, "a/b/out.txt"), "two\n");
    assert.equal(readFileSync(join(root, "a/b/out.txt"), "utf8"), "one\ntwo\n");
    write(file(root, "a/b/out.txt"), "anew\n", true);
    assert.equal(readFileSync(join(root, "a/b/out.txt"), "utf8"), "anew\n");
  });

  void it("refuses a file that is a symbolic link to a host file, leaving the host file as it was", () => {
    const { root, outside } = volume();
    symlinkSync(outside, join(root, "out"));
    assert.throws(
      () => write(file(root, "out"), "pwned\n"),
      (err: unknown) =>
        err instanceof OutputFileRefused &&
        err.message ===
          'stdoutConfig.path "/data/out" cannot be written: "out" is a symbolic link, which is not followed',
    );
    assert.equal(readFileSync(outside, "utf8"), "host secret\n");
  });

  void it("refuses a directory on the way that is a link out of the volume, creating nothing there", () => {
    const { root, outside } = volume();
    const hostDir = join(outside, "..", "host-dir");
    mkdirSync(hostDir);
    symlinkSync(hostDir, join(root, "dir"));
    assert.throws(
      () => write(file(root, "dir/new-file"), "x"),
      /"dir" is a symbolic link, which is not followed/,
    );
    assert.throws(() => readFileSync(join(hostDir, "new-file")), /ENOENT/);
  });

  void it("refuses a FIFO instead of blocking on it", () => {
    const { root } = volume();
    execFileSync("mkfifo", [join(root, "pipe")]);
    assert.throws(() => write(file(root, "pipe"), "x"), /"pipe" is not a regular file/);
  });

  void it("refuses a path that is a directory", () => {
    const { root } = volume();
    mkdirSync(join(root, "d"));
    assert.throws(() => write(file(root, "d"), "x"), /"d" is a directory/);
  });
});
