/** `tektite serve` and `tektite kubeconfig` as a user runs them. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, tektiteBin } from "../helpers/cli.js";

describe("tektite serve", () => {
  it("serves until SIGTERM and prints a kubeconfig kubectl can use", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tektite-serve-"));
    const child = spawn(
      process.execPath,
      [tektiteBin, "serve", "--data-dir", dataDir, "--port", "0", "--executor", "host", "--sandbox", "none"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (https:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.on("close", (code) => reject(new Error(`serve exited with ${String(code)}: ${out}`)));
      });
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const kc = await runCli(["kubeconfig", "--data-dir", dataDir]);
      assert.equal(kc.code, 0, kc.stderr);
      assert.match(kc.stdout, new RegExp(`server: ${url}`));
      assert.match(kc.stdout, /certificate-authority-data: /);
      const path = join(dataDir, "kubeconfig");
      writeFileSync(path, kc.stdout);
      const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: dataDir, KUBECONFIG: path };
      const ns = await new Promise<string>((resolve) => {
        const k = spawn("kubectl", ["get", "namespaces", "-o", "name"], { env });
        let out = "";
        k.stdout.on("data", (d: Buffer) => (out += d.toString()));
        k.on("close", () => resolve(out));
      });
      assert.equal(ns, "namespace/default\n");
      const code = await new Promise<number | null>((resolve) => {
        child.on("close", (c) => resolve(c));
        child.kill("SIGTERM");
      });
      assert.equal(code, 0);
      assert.equal(existsSync(join(dataDir, "serve.json")), false);
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
