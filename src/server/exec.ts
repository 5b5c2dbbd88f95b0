/**
 * `pods/exec` over WebSocket, as kubectl ≥ 1.30 speaks it (subprotocols `v5.channel.k8s.io`
 * and `v4.channel.k8s.io`): every binary message starts with its channel — 0 stdin, 1 stdout,
 * 2 stderr, 3 error (the final `Status`, with the exit code), 4 resize (`{"Width","Height"}`);
 * v5 adds 255 (close a channel: `[255, 0]` ends stdin). Attached to the HTTPS server's `upgrade`
 * event; the bearer token is checked as for every other request. A request that cannot be served
 * (SPDY, an unknown container, a completed pod) gets a `Status` before any upgrade.
 *
 * @module
 */

import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { startExec, ContainerNotRunningError, type ExecSession } from "../executors/exec.js";
import type { Store } from "../store/index.js";
import { isAuthorized } from "./auth.js";
import { ApiError, StatusReason, statusBody, toStatus } from "./errors.js";
import { parseExecUrl, resolveExecTarget, type ExecQuery } from "./exec-target.js";

/** Supported subprotocols, preferred first. */
export const ExecProtocol = { V5: "v5.channel.k8s.io", V4: "v4.channel.k8s.io" } as const;

const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;

const TOKEN_PROTOCOL = "base64url.bearer.authorization.k8s.io.";

export interface ExecDeps {
  store: Store;
  dataDir: string;
  token: string;
}

function refuse(socket: Duplex, err: unknown): void {
  const status = toStatus(err);
  const body = JSON.stringify(status);
  const text = status.code === 401 ? "Unauthorized" : status.code === 404 ? "Not Found" : "Bad Request";
  socket.end(
    `HTTP/1.1 ${status.code} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** A bearer token from the header, or from the `base64url.bearer.authorization.k8s.io.` subprotocol. */
function authorized(req: IncomingMessage, token: string): boolean {
  if (isAuthorized(req.headers.authorization, token)) return true;
  const p = offeredProtocols(req).find((x) => x.startsWith(TOKEN_PROTOCOL));
  if (p === undefined) return false;
  const given = Buffer.from(p.slice(TOKEN_PROTOCOL.length), "base64url").toString("utf8");
  return isAuthorized(`Bearer ${given}`, token);
}

/** The final Status on the error channel for an exit code (Kubernetes' wording). */
export function exitStatus(command: string[], code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  };
}

/** Serves `pods/{name}/exec` upgrades on `server`; returns a function that ends open sessions. */
export function attachExec(server: Server, deps: ExecDeps): () => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      protocols.has(ExecProtocol.V5)
        ? ExecProtocol.V5
        : protocols.has(ExecProtocol.V4)
          ? ExecProtocol.V4
          : false,
  });
  const sessions = new Set<ExecSession>();
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const parsed = parseExecUrl(req.url ?? "");
    if (parsed === undefined) {
      refuse(
        socket,
        new ApiError(404, StatusReason.NotFound, "the server could not find the requested resource"),
      );
      return;
    }
    if (!authorized(req, deps.token)) {
      refuse(socket, new ApiError(401, StatusReason.Unauthorized, "Unauthorized"));
      return;
    }
    let resolved: ReturnType<typeof resolveExecTarget>;
    try {
      if (parsed.verb === "attach")
        throw new ApiError(400, StatusReason.BadRequest, "attach is not supported by tektite: use exec");
      resolved = resolveExecTarget(deps.store, deps.dataDir, parsed.query);
      const websocket = (req.headers.upgrade ?? "").toLowerCase() === "websocket";
      const offered = offeredProtocols(req);
      if (!websocket || !offered.some((p) => p === ExecProtocol.V5 || p === ExecProtocol.V4)) {
        throw new ApiError(
          400,
          StatusReason.BadRequest,
          `exec needs a WebSocket with subprotocol ${ExecProtocol.V5} or ${ExecProtocol.V4} (kubectl 1.30 or later)`,
        );
      }
    } catch (err) {
      refuse(socket, err);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void serveSession(ws, parsed.query, resolved, sessions);
    });
  });
  return () => {
    for (const s of sessions) s.kill();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

async function serveSession(
  ws: WebSocket,
  q: ExecQuery,
  resolved: ReturnType<typeof resolveExecTarget>,
  sessions: Set<ExecSession>,
): Promise<void> {
  const v5 = ws.protocol === ExecProtocol.V5;
  let session: ExecSession | undefined;
  let closed = false;
  const pending: Buffer[] = [];
  // kubectl sends the terminal's size first: start with it, so the command never sees 0×0.
  let sized: (size: TerminalSize | undefined) => void = () => undefined;
  const firstSize = new Promise<TerminalSize | undefined>((resolve) => {
    sized = resolve;
    setTimeout(() => resolve(undefined), 1000);
  });
  const handle = (s: ExecSession, data: Buffer): void => {
    const channel = data[0];
    const body = data.subarray(1);
    if (channel === Channel.Stdin && body.length > 0) s.stdin.write(body);
    else if (channel === Channel.Resize) {
      const size = parseResize(body);
      if (size !== undefined) s.resize(size.Width, size.Height);
    } else if (v5 && channel === Channel.Close && body[0] === Channel.Stdin) s.stdin.end();
  };
  ws.on("message", (raw: RawData) => {
    const data = toBuffer(raw);
    if (data.length === 0) return;
    if (session !== undefined) return handle(session, data);
    if (data[0] === Channel.Resize) sized(parseResize(data.subarray(1)));
    pending.push(data);
  });
  ws.on("close", () => {
    closed = true;
    session?.kill();
  });
  const size = q.tty ? await firstSize : undefined;
  try {
    session = await startExec(resolved.container, resolved.target, {
      argv: q.command,
      tty: q.tty,
      ...(size !== undefined ? { cols: size.Width, rows: size.Height } : {}),
    });
  } catch (err) {
    const message =
      err instanceof ContainerNotRunningError
        ? `container ${resolved.container} is not running in pod ${q.pod}`
        : err instanceof Error
          ? err.message
          : String(err);
    ws.send(
      frame(Channel.Error, Buffer.from(JSON.stringify(statusBody(500, StatusReason.InternalError, message)))),
    );
    ws.close(1000);
    return;
  }
  const s = session;
  sessions.add(s);
  if (closed) s.kill();
  if (!q.stdin) s.stdin.end();
  const send = (channel: number) => (chunk: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, chunk));
  };
  s.stdout.on("data", send(Channel.Stdout));
  s.stderr.on("data", send(q.tty ? Channel.Stdout : Channel.Stderr));
  for (const data of pending.splice(0)) handle(s, data);
  const outputs = [s.stdout, s.stderr].map(
    (stream) =>
      new Promise<void>((resolve) =>
        stream.readableEnded ? resolve() : stream.once("end", resolve).once("close", resolve),
      ),
  );
  const code = await s.done;
  await Promise.all(outputs);
  sessions.delete(s);
  if (ws.readyState === ws.OPEN) {
    ws.send(frame(Channel.Error, Buffer.from(JSON.stringify(exitStatus(q.command, code)))));
    ws.close(1000);
  }
}

interface TerminalSize {
  Width: number;
  Height: number;
}

function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const size = JSON.parse(data.toString("utf8")) as Partial<TerminalSize>;
    return typeof size.Width === "number" && typeof size.Height === "number"
      ? { Width: size.Width, Height: size.Height }
      : undefined;
  } catch {
    return undefined; // a malformed resize is ignored, as the kubelet does
  }
}

function toBuffer(raw: RawData): Buffer {
  return Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
}
