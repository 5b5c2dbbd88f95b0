/**
 * A small Kubernetes API client over Node's `http`/`https`: JSON requests that turn error
 * `Status` bodies into {@link ApiStatusError}, and streamed responses (pod logs, watches) read
 * chunk by chunk until the server ends them or the signal aborts.
 *
 * @module
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { ApiStatusError, connectionError } from "./errors.js";
import type { Connection } from "./kubeconfig.js";

/** Options of one request. */
export interface RequestInit {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

function statusFrom(code: number, text: string): ApiStatusError {
  try {
    const parsed = JSON.parse(text) as { kind?: string; reason?: string; message?: string };
    if (parsed.kind === "Status")
      return new ApiStatusError(code, parsed.reason ?? "", parsed.message ?? text);
  } catch {
    // not JSON: fall through to a generic status
  }
  const reason = code === 401 ? "Unauthorized" : code === 404 ? "NotFound" : `HTTP ${code}`;
  return new ApiStatusError(code, reason, text.trim() || `the server answered ${code}`);
}

/** A client bound to one connection. */
export class ApiClient {
  constructor(readonly conn: Connection) {}

  /** The namespace commands default to. */
  get namespace(): string {
    return this.conn.namespace;
  }

  private open(method: string, path: string, init: RequestInit): Promise<IncomingMessage> {
    const base = new URL(this.conn.server);
    const url = new URL(`${base.origin}${base.pathname.replace(/\/$/, "")}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.conn.token !== undefined) headers["authorization"] = `Bearer ${this.conn.token}`;
    let payload: string | undefined;
    if (init.body !== undefined) {
      payload = JSON.stringify(init.body);
      headers["content-type"] = init.contentType ?? "application/json";
    }
    const options: RequestOptions & {
      ca?: string;
      cert?: string;
      key?: string;
      rejectUnauthorized?: boolean;
    } = {
      method,
      headers,
      agent: false,
      ...(init.signal !== undefined ? { signal: init.signal } : {}),
    };
    const secure = url.protocol === "https:";
    if (secure) {
      if (this.conn.ca !== undefined) options.ca = this.conn.ca;
      if (this.conn.clientCert !== undefined) options.cert = this.conn.clientCert;
      if (this.conn.clientKey !== undefined) options.key = this.conn.clientKey;
      options.rejectUnauthorized = !this.conn.insecureSkipTlsVerify;
    }
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, options, resolve);
      req.on("error", (err) => reject(init.signal?.aborted ? err : connectionError(this.conn.server, err)));
      req.end(payload);
    });
  }

  /** A request whose JSON answer is returned; error statuses throw {@link ApiStatusError}. */
  async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.open(method, path, init);
    const text = await readAll(res);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw statusFrom(code, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** A text answer (pod logs without follow). */
  async text(path: string, init: RequestInit = {}): Promise<string> {
    const res = await this.open("GET", path, init);
    const text = await readAll(res);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw statusFrom(code, text);
    return text;
  }

  /**
   * A streamed answer: `onChunk` gets each chunk as it arrives; resolves when the server ends the
   * response, or when `signal` aborts.
   */
  async stream(path: string, init: RequestInit, onChunk: (chunk: Buffer) => void): Promise<void> {
    let res: IncomingMessage;
    try {
      res = await this.open("GET", path, init);
    } catch (err) {
      if (init.signal?.aborted) return;
      throw err;
    }
    const code = res.statusCode ?? 0;
    if (code >= 400) throw statusFrom(code, await readAll(res));
    await new Promise<void>((resolve, reject) => {
      res.on("data", (d: Buffer) => onChunk(d));
      res.on("end", () => resolve());
      res.on("close", () => resolve());
      res.on("error", (err) =>
        init.signal?.aborted ? resolve() : reject(connectionError(this.conn.server, err)),
      );
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (d: Buffer) => chunks.push(d));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });
}
