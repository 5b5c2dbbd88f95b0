/**
 * Every command that talks to a server takes the same connection flags: `approve`/`reject` and
 * `start --remote` pick a kubeconfig context with `--context`, and trust a CA file given with
 * `--certificate-authority`, against a real `tektite serve`. Approvals are answered through the
 * server's API. Exit codes: 0 done, 1 run failed or server refused, 2 bad input.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import YAML from "yaml";
import { runCli, type CliResult } from "../helpers/cli.js";
import { cleanup, serve, type Served } from "../helpers/serve.js";

let s: Served;
let kubeconfig: string;

/**
 * The server's kubeconfig plus a second context, `nowhere`, made current: it names a loopback
 * port nothing listens on, so only `--context tektite` reaches the server.
 */
function withSecondContext(served: Served): string {
  const doc = YAML.parse(readFileSync(served.env["KUBECONFIG"]!, "utf8")) as Record<string, any>;
  doc["clusters"].push({ name: "nowhere", cluster: { server: "https://127.0.0.1:9" } });
  doc["contexts"].push({
    name: "nowhere",
    context: { cluster: "nowhere", user: "tektite", namespace: "elsewhere" },
  });
  doc["current-context"] = "nowhere";
  const file = join(served.dataDir, "two-contexts.kubeconfig");
  writeFileSync(file, YAML.stringify(doc), { mode: 0o600 });
  return file;
}

const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: { KUBECONFIG: kubeconfig } });

async function customRunReason(name: string): Promise<string> {
  const r = await s.kubectl([
    "get",
    "customrun",
    name,
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Succeeded")].reason}',
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

async function waitForReason(name: string, reason: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await customRunReason(name)) !== reason) {
    if (Date.now() > deadline) throw new Error(`CustomRun ${name} never reached ${reason}:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const gate = (name: string): string => `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: ${name}
spec:
  customRef:
    apiVersion: approval.tektite.dev/v1alpha1
    kind: Approval
  params:
    - name: approvers
      value: [alice]
`;

before(async () => {
  s = await serve({ args: ["--sandbox", "none"] });
  kubeconfig = withSecondContext(s);
  const applied = await s.kubectl(
    ["apply", "-f", "-"],
    `${gate("gate")}---
${gate("gate-2")}---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
spec:
  steps:
    - name: say
      image: busybox
      script: echo hello from the server
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: boom
spec:
  steps:
    - name: fail
      image: busybox
      script: exit 3
`,
  );
  assert.equal(applied.code, 0, applied.stderr);
});
after(() => cleanup(s));

void describe("connection flags shared by every server command", () => {
  void it("approve --context picks the context; the answer goes through the API", async () => {
    await waitForReason("gate", "Running");
    const current = await cli(["approve", "gate", "--user", "alice"]);
    assert.equal(current.code, 1, "the current context's server cannot be reached");
    assert.match(current.stderr, /127\.0\.0\.1:9/);

    const approved = await cli(["approve", "gate", "--context", "tektite", "--user", "alice", "-m", "ok"]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout, "customrun/gate approved by alice (1 of 1)\n");
    await waitForReason("gate", "Approved");

    const again = await cli(["approve", "gate", "--context", "tektite", "--user", "alice"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /CustomRun "gate" is already done \(Approved\)/);

    const stranger = await cli(["reject", "gate-2", "--context", "tektite", "--user", "mallory"]);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stderr, /user "mallory" is not an approver/);
  });

  void it("an unknown --context is bad input (exit 2), not a silent fall-back to a local store", async () => {
    const r = await cli(["approve", "gate", "--context", "nope", "--user", "alice"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /context "nope" does not exist in the kubeconfig/);
  });

  void it("reject with --server, --token and --certificate-authority instead of a kubeconfig", async () => {
    await waitForReason("gate-2", "Running");
    const r = await runCli(
      [
        "reject",
        "gate-2",
        "--server",
        s.url,
        "--token",
        s.token,
        "--certificate-authority",
        join(s.dataDir, "tls", "server.crt"),
        "--user",
        "alice",
        "-m",
        "not today",
      ],
      { env: { KUBECONFIG: join(s.dataDir, "absent.kubeconfig") } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "customrun/gate-2 rejected by alice\n");
    await waitForReason("gate-2", "Rejected");
  });

  void it("start --remote --context runs the server's Task; its exit code is the run's", async () => {
    const ok = await cli(["start", "task", "hello", "--remote", "--context", "tektite"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /hello from the server/);
    assert.match(ok.stderr, /TaskRun started: hello-run-/);

    const failed = await cli(["start", "task", "boom", "--remote", "--context", "tektite"]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /TaskRun boom-run-\S+ StepFailed: "step-fail" exited with code 3/);
  });

  void it("get: a missing object is exit 1, as kubectl", async () => {
    const r = await cli(["get", "taskrun", "missing", "--context", "tektite"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /taskruns.tekton.dev "missing" not found/);
  });
});
