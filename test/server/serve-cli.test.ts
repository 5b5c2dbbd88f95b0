/** `tektite serve` and `tektite kubeconfig` as a user runs them. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
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

  void it("exits promptly on SIGTERM while clients hold connections open without finishing a request", async (t) => {
    const s = await serve({ args: ["--sandbox", "none"] });
    t.after(() => cleanup(s));
    const { port } = new URL(s.url);
    // One client stops after the TCP handshake, before TLS; another sends half a request's headers.
    const silent = connectTcp(Number(port), "127.0.0.1");
    const halfRequest = connectTls({
      port: Number(port),
      host: "127.0.0.1",
      ca: s.certificate,
      servername: "127.0.0.1",
    });
    t.after(() => {
      silent.destroy();
      halfRequest.destroy();
    });
    await Promise.all([
      new Promise((resolve) => silent.once("connect", resolve)),
      new Promise((resolve) => halfRequest.once("secureConnect", resolve)),
    ]);
    halfRequest.write("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    silent.on("error", () => undefined);
    halfRequest.on("error", () => undefined);
    // stop() fails the test when the server takes longer than its grace to exit.
    await s.stop("SIGTERM");
    assert.equal(s.child.exitCode, 0);
  });
});
