/**
 * A `tektite serve` child process for the API benchmarks, and a small HTTPS client for its
 * Kubernetes REST API (bearer token, the server's self-signed certificate as the CA, keep-alive).
 *
 * @module
 */

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { join } from "node:path";
import { tektiteArgv } from "./proc.js";

/** A response read to the end. */
export interface ApiResponse {
  status: number;
  body: string;
}

/** A running `tektite serve`. */
export interface ServeProcess {
  url: URL;
  token: string;
  agent: Agent;
  /** Agent for long-lived watch streams (no socket limit, so they do not starve requests). */
  watchAgent: Agent;
  pid: number;
  /** Sends a request and reads the whole response. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse>;
  /** SIGTERM, then waits for exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Resident set size of a process in KiB (VmRSS), or undefined when it is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has exited
  }
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<URL> {
  return new Promise((resolveUrl, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`tektite serve did not start within ${timeoutMs} ms: ${err.trim()}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (c: Buffer) => (err += c.toString("utf8")));
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(new URL(m[1]!));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tektite serve exited with ${String(code)} before listening: ${err.trim()}`));
    });
  });
}

/** Starts `tektite serve --port 0` on `dataDir` with the given executor flags. */
export async function startServe(repo: string, dataDir: string, extra: string[] = []): Promise<ServeProcess> {
  const argv = tektiteArgv(repo, "serve", "--data-dir", dataDir, "--port", "0", ...extra);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  const url = await waitForUrl(child, 60_000);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const ca = readFileSync(join(dataDir, "tls", "server.crt"), "utf8");
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 64 });
  const watchAgent = new Agent({ ca, keepAlive: false, maxSockets: Infinity });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const call = (
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<ApiResponse> =>
    new Promise((resolveCall, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, url),
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(payload !== undefined
              ? { "content-type": contentType, "content-length": Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolveCall({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return {
    url,
    token,
    agent,
    watchAgent,
    pid: child.pid!,
    call,
    stop: async () => {
      agent.destroy();
      watchAgent.destroy();
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One decoded watch event with the time it arrived (performance.now()). */
export interface ArrivedEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> } };
  at: number;
}

/** An open watch stream. */
export interface WatchStream {
  /** Resolves once the response headers arrived (the watch is registered). */
  ready: Promise<void>;
  close(): void;
}

/** Opens `GET path` (a `?watch=true` URL) and calls `onEvent` for every newline-delimited event. */
export function openWatch(
  srv: ServeProcess,
  path: string,
  onEvent: (ev: ArrivedEvent) => void,
  now: () => number,
): WatchStream {
  let close = (): void => {};
  const ready = new Promise<void>((resolveReady, reject) => {
    const req = request(
      new URL(path, srv.url),
      { method: "GET", agent: srv.watchAgent, headers: { authorization: `Bearer ${srv.token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: HTTP ${String(res.statusCode)}`));
          res.resume();
          return;
        }
        resolveReady();
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          const at = now();
          buf += c;
          let nl: number;
          while ((nl = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim() !== "") onEvent({ ...(JSON.parse(line) as Omit<ArrivedEvent, "at">), at });
          }
        });
        res.on("error", () => undefined);
      },
    );
    req.on("error", (e) => reject(e));
    close = () => req.destroy();
    req.end();
  });
  return { ready, close: () => close() };
}
