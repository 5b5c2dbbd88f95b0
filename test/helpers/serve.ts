/**
 * The one harness for scenario tests that need a real `tektite serve` process: started on a
 * loopback port (ephemeral unless given), its token, CA certificate and a kubeconfig written by
 * `tektite kubeconfig`, kubectl and HTTPS helpers pointed at it, and stop/cleanup.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, tektiteBin } from "./cli.js";

export interface Served {
  child: ChildProcess;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  url: string;
  token: string;
  /** PEM of the server's self-signed certificate. */
  certificate: string;
  /** Everything the server printed on stdout and stderr so far. */
  output(): string;
  kubectl(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** `kubectl get taskrun <name> -o jsonpath=<path>`, failing the test on a kubectl error. */
  jsonpath(name: string, path: string): Promise<string>;
  /** Waits until the TaskRun's Succeeded condition is no longer Unknown; returns its reason. */
  finished(name: string, timeoutMs?: number): Promise<string>;
  /** An authenticated HTTPS request. */
  http(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<{ status: number; body: string }>;
  /** A JSON request to the API: the parsed body, or an error for a status of 400 and above. */
  api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** How long a stopped server may take to exit; a hung shutdown fails the test instead of hanging it. */
const STOP_GRACE_MS = 20_000;

export interface ServeOptions {
  dataDir?: string;
  executor?: "host" | "podman";
  /** Listen port (default 0: any free one; a restart test may reuse the first one's). */
  port?: number;
  args?: string[];
}

/** A data directory outside /tmp, so that a sandboxed step would see it unless it is hidden. */
export function visibleDataDir(prefix: string): string {
  return mkdtempSync(join("/var/tmp", prefix));
}

export async function serve(opts: ServeOptions = {}): Promise<Served> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "tektite-serve-"));
  const child = spawn(
    process.execPath,
    [
      tektiteBin,
      "serve",
      "--data-dir",
      dataDir,
      "--port",
      String(opts.port ?? 0),
      "--executor",
      opts.executor ?? "host",
      ...(opts.args ?? []),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (/listening on https:\/\/\S+/.test(out)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("close", (code) => reject(new Error(`serve exited with ${String(code)}: ${out}`)));
  });
  const url = /listening on (https:\/\/\S+)/.exec(out)![1]!;
  const kc = await runCli(["kubeconfig", "--data-dir", dataDir]);
  if (kc.code !== 0) throw new Error(`tektite kubeconfig: ${kc.stderr}`);
  const kubeconfig = join(mkdtempSync(join(tmpdir(), "tektite-kc-")), "kubeconfig");
  writeFileSync(kubeconfig, kc.stdout, { mode: 0o600 });
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: join(kubeconfig, ".."),
    KUBECONFIG: kubeconfig,
  };
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const ca = readFileSync(join(dataDir, "tls", "server.crt"), "utf8");
  const http: Served["http"] = (method, path, body, contentType = "application/json") =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, url),
        {
          method,
          ca,
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { "content-type": contentType } : {}),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const kubectl: Served["kubectl"] = (args, input) =>
    new Promise((resolve, reject) => {
      const k = spawn("kubectl", args, { env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      k.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      k.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      k.on("error", reject);
      k.on("close", (code) => resolve({ code, stdout, stderr }));
      k.stdin.end(input ?? "");
    });
  const jsonpath = async (name: string, path: string): Promise<string> => {
    const r = await kubectl(["get", "taskrun", name, "-o", `jsonpath=${path}`]);
    if (r.code !== 0) throw new Error(`kubectl get taskrun ${name}: ${r.stderr}`);
    return r.stdout;
  };
  const served: Served = {
    child,
    dataDir,
    env,
    url,
    token,
    certificate: ca,
    output: () => out,
    kubectl,
    jsonpath,
    finished: async (name, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await jsonpath(name, '{.status.conditions[?(@.type=="Succeeded")].status}');
        if (status === "True" || status === "False")
          return jsonpath(name, '{.status.conditions[?(@.type=="Succeeded")].reason}');
        if (Date.now() > deadline) throw new Error(`TaskRun ${name} did not finish; server said:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    http,
    api: async <T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> => {
      const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const r = await http(method, path, text, contentType);
      if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return (r.body === "" ? undefined : JSON.parse(r.body)) as T;
    },
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // "exit", not "close": a step process the server left may still hold its output pipes.
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      let hung = false;
      const grace = setTimeout(() => {
        hung = true;
        child.kill("SIGKILL");
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
      if (hung) throw new Error(`serve did not exit within ${STOP_GRACE_MS} ms of ${signal}:\n${out}`);
    },
  };
  return served;
}

/** Stops the server and removes its data directory (for `t.after`). */
export async function cleanup(s: Served): Promise<void> {
  await s.stop("SIGKILL");
  rmSync(s.dataDir, { recursive: true, force: true });
  rmSync(join(s.env["KUBECONFIG"]!, ".."), { recursive: true, force: true });
}
