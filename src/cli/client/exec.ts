/**
 * The client side of `pods/exec` over WebSocket (`v5.channel.k8s.io`, else `v4`), as kubectl
 * speaks it: stdin on channel 0, stdout/stderr from 1/2, the final `Status` on 3 (exit code in
 * `details.causes[ExitCode]`), the terminal size on 4, and (v5) `[255, 0]` to close stdin.
 *
 * @module
 */
import { WebSocket, type RawData } from "ws";
import type { ClientRequestArgs } from "node:http";
import { ApiStatusError, connectionError } from "./errors.js";
import type { Connection } from "./kubeconfig.js";

/** One exec stream, whichever way it runs (locally or through a server). */
export interface ExecStreams {
  writeStdin(data: Buffer): void;
  endStdin(): void;
  resize(cols: number, rows: number): void;
  onStdout(fn: (chunk: Buffer) => void): void;
  onStderr(fn: (chunk: Buffer) => void): void;
  /** The command's exit code. */
  done: Promise<number>;
}

export interface RemoteExec {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/** The exit code a final `Status` carries (0 for Success). Other failures throw. */
export function exitCodeOfStatus(text: string): number {
  const s = JSON.parse(text) as {
    status?: string;
    message?: string;
    reason?: string;
    details?: { causes?: Array<{ reason?: string; message?: string }> };
  };
  if (s.status === "Success") return 0;
  const cause = s.details?.causes?.find((c) => c.reason === "ExitCode");
  if (s.reason === "NonZeroExitCode" && cause?.message !== undefined) return Number(cause.message);
  throw new ApiStatusError(500, s.reason ?? "InternalError", s.message ?? text);
}

/** Opens an exec session on the server; rejects with the server's Status when it refuses. */
export function openRemoteExec(conn: Connection, req: RemoteExec): Promise<ExecStreams> {
  const base = new URL(conn.server);
  const url = new URL(
    `${base.origin}${base.pathname.replace(/\/$/, "")}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec`,
  );
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("container", req.container);
  for (const c of req.command) url.searchParams.append("command", c);
  url.searchParams.set("stdout", "true");
  url.searchParams.set("stderr", String(!req.tty));
  url.searchParams.set("stdin", String(req.stdin));
  url.searchParams.set("tty", String(req.tty));
  const options: ClientRequestArgs & {
    ca?: string;
    cert?: string;
    key?: string;
    rejectUnauthorized?: boolean;
  } = {
    headers: conn.token !== undefined ? { authorization: `Bearer ${conn.token}` } : {},
    rejectUnauthorized: !conn.insecureSkipTlsVerify,
    ...(conn.ca !== undefined ? { ca: conn.ca } : {}),
    ...(conn.clientCert !== undefined ? { cert: conn.clientCert } : {}),
    ...(conn.clientKey !== undefined ? { key: conn.clientKey } : {}),
  };
  const ws = new WebSocket(url, PROTOCOLS, options);
  const outs: Array<(c: Buffer) => void> = [];
  const errs: Array<(c: Buffer) => void> = [];
  let status: string | undefined;
  const done = new Promise<number>((resolve, reject) => {
    ws.on("close", () => {
      if (status === undefined)
        return reject(new ApiStatusError(500, "InternalError", "the exec stream ended without a status"));
      try {
        resolve(exitCodeOfStatus(status));
      } catch (err) {
        reject(err);
      }
    });
  });
  done.catch(() => undefined); // observed by the caller
  ws.on("message", (raw: RawData) => {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const body = data.subarray(1);
    if (data[0] === 1) for (const f of outs) f(body);
    else if (data[0] === 2) for (const f of errs) f(body);
    else if (data[0] === 3) status = (status ?? "") + body.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString("utf8")));
      res.on("end", () => {
        let message = text.trim() || `the server answered ${res.statusCode ?? 0}`;
        let reason = "";
        try {
          const s = JSON.parse(text) as { message?: string; reason?: string };
          message = s.message ?? message;
          reason = s.reason ?? "";
        } catch {
          // not a Status
        }
        reject(new ApiStatusError(res.statusCode ?? 0, reason, message));
      });
    });
    ws.once("error", (err) => reject(connectionError(conn.server, err)));
    ws.once("open", () => {
      const v5 = ws.protocol === PROTOCOLS[0];
      const send = (channel: number, data: Buffer): void => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
      };
      resolve({
        writeStdin: (d) => send(0, d),
        endStdin: () => {
          if (v5) send(255, Buffer.from([0]));
        },
        resize: (cols, rows) => send(4, Buffer.from(JSON.stringify({ Width: cols, Height: rows }))),
        onStdout: (f) => outs.push(f),
        onStderr: (f) => errs.push(f),
        done,
      });
    });
  });
}
