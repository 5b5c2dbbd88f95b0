/** `tektite serve` and `tektite kubeconfig` as a user runs them. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";
import { cleanup, serve } from "../helpers/serve.js";

void describe("tektite serve", () => {
  void it("serves until SIGTERM and prints a kubeconfig kubectl can use", async (t) => {
    const s = await serve({ args: ["--sandbox", "none"] });
    t.after(() => cleanup(s));
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = await runCli(["kubeconfig", "--data-dir", s.dataDir]);
    assert.equal(kc.code, 0, kc.stderr);
    assert.match(kc.stdout, new RegExp(`server: ${s.url}`));
    assert.match(kc.stdout, /certificate-authority-data: /);
    const ns = await s.kubectl(["get", "namespaces", "-o", "name"]);
    assert.equal(ns.stdout, "namespace/default\n", ns.stderr);
    await s.stop("SIGTERM");
    assert.equal(s.child.exitCode, 0);
    assert.equal(existsSync(join(s.dataDir, "serve.json")), false);
  });
});
