import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { connectionFromKubeconfig, loadKubeconfigs } from "./kubeconfig.js";
import { resolveConnection } from "./options.js";

const CA = "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n";

function files(): { dir: string; a: string; b: string } {
  const dir = mkdtempSync(join(tmpdir(), "tektite-kubeconfig-"));
  const a = join(dir, "a.yaml");
  const b = join(dir, "b.yaml");
  writeFileSync(join(dir, "tok"), "from-file\n");
  writeFileSync(
    a,
    `apiVersion: v1
kind: Config
current-context: dev
contexts:
  - name: dev
    context: {cluster: local, user: me, namespace: team}
clusters:
  - name: local
    cluster:
      server: https://127.0.0.1:8090
      certificate-authority-data: ${Buffer.from(CA).toString("base64")}
users:
  - name: me
    user: {tokenFile: tok}
`,
  );
  writeFileSync(
    b,
    `current-context: other
contexts:
  - name: other
    context: {cluster: remote, user: you}
  - name: dev
    context: {cluster: ignored}
clusters:
  - name: remote
    cluster: {server: "https://example.test:6443", insecure-skip-tls-verify: true}
users:
  - name: you
    user: {token: abc}
`,
  );
  return { dir, a, b };
}

describe("kubeconfig resolution", () => {
  it("merges files with the first definition winning and reads token files relative to their kubeconfig", () => {
    const { a, b } = files();
    const conn = connectionFromKubeconfig(loadKubeconfigs([a, b]));
    assert.deepEqual(conn, {
      server: "https://127.0.0.1:8090",
      insecureSkipTlsVerify: false,
      namespace: "team",
      ca: CA,
      token: "from-file",
    });
    const other = connectionFromKubeconfig(loadKubeconfigs([a, b]), "other");
    assert.deepEqual(other, {
      server: "https://example.test:6443",
      insecureSkipTlsVerify: true,
      namespace: "default",
      token: "abc",
    });
  });

  it("names a context that does not exist", () => {
    const { a } = files();
    assert.throws(() => connectionFromKubeconfig(loadKubeconfigs([a]), "prod"), {
      message: 'context "prod" does not exist in the kubeconfig',
    });
  });

  it("lets flags and environment override the server, token and namespace", () => {
    const { a } = files();
    const env = { kubeconfigPaths: [a], token: "env-token" };
    const same = resolveConnection({ server: "https://127.0.0.1:8090", namespace: "x" }, env);
    assert.equal(same.ca, CA, "the kubeconfig's CA still serves its own server");
    assert.equal(same.token, "env-token");
    assert.equal(same.namespace, "x");
    const other = resolveConnection({ server: "https://elsewhere:1", token: "t" }, env);
    assert.deepEqual(other, {
      server: "https://elsewhere:1",
      insecureSkipTlsVerify: false,
      namespace: "team",
      token: "t",
    });
  });

  it("asks for a server when nothing is configured", () => {
    assert.throws(
      () => resolveConnection({}, { kubeconfigPaths: ["/nonexistent/config"] }),
      /no server configured: pass --server URL --token TOKEN/,
    );
  });
});
