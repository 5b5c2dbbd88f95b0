/**
 * The dashboard's only way to the server: the Kubernetes API that kubectl uses, with the bearer
 * token from the login page. Lists page with `limit`/`continue`, watches stream newline-delimited
 * events and are resumed from the last resourceVersion (or relisted after `410 Gone`), logs stream
 * from `pods/log?follow=true`.
 *
 * @module
 */

import type { KubeObject } from "../../api/types.js";
import type { KubeStatus } from "../../server/errors.js";

/** Objects per list page. */
export const PAGE_SIZE = 500;

/** A request the server answered with an error `Status`. */
export class ApiFailure extends Error {
  override readonly name = "ApiFailure";

  constructor(
    readonly code: number,
    readonly status: KubeStatus | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link ApiClient.request}. */
export interface RequestOptions {
  body?: unknown;
  /** Content type of the body (default JSON; merge patches say so). */
  contentType?: string;
  signal?: AbortSignal;
}

/** A watch event. */
export interface WatchEvent<T extends KubeObject> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

/** What {@link ApiClient.listWatch} reports. */
export interface ListWatchHandlers<T extends KubeObject> {
  /** A (re)list started: forget what you have. */
  onReset(): void;
  /** A page of the list arrived. */
  onItems(items: T[]): void;
  /** The whole list is in; watching from here on. */
  onSynced(): void;
  onEvent(event: WatchEvent<T>): void;
  onError(err: unknown): void;
}

function headersOf(token: string, contentType?: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    accept: "application/json",
    ...(contentType !== undefined ? { "content-type": contentType } : {}),
  };
}

async function failure(res: Response): Promise<ApiFailure> {
  const text = await res.text();
  let status: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    if (parsed.kind === "Status") status = parsed;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  return new ApiFailure(res.status, status, status?.message ?? (text || `HTTP ${res.status}`));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Reads a streamed body as text chunks. */
async function readText(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onText(decoder.decode(value, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest !== "") onText(rest);
}

/** A client for one server and token. */
export class ApiClient {
  constructor(readonly token: string) {}

  /** One request; JSON in and out. Throws {@link ApiFailure} on an error status. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const init: RequestInit = {
      method,
      headers: headersOf(
        this.token,
        opts.body !== undefined ? (opts.contentType ?? "application/json") : undefined,
      ),
      cache: "no-store",
    };
    if (opts.body !== undefined)
      init.body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    if (opts.signal) init.signal = opts.signal;
    const res = await fetch(path, init);
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }

  /** A text response (a finished log). */
  async text(path: string, signal?: AbortSignal): Promise<string> {
    const res = await fetch(path, {
      headers: headersOf(this.token),
      cache: "no-store",
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) throw await failure(res);
    return res.text();
  }

  /** Streams a text response until it ends or `signal` aborts. */
  async stream(path: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
    const res = await fetch(path, { headers: headersOf(this.token), cache: "no-store", signal });
    if (!res.ok) throw await failure(res);
    if (res.body === null) return;
    await readText(res.body, onText);
  }

  /**
   * Lists `path` page by page, then watches it from the list's resourceVersion until `signal`
   * aborts: a watch the server ends is resumed, an expired version relists.
   */
  async listWatch<T extends KubeObject>(
    path: string,
    query: Record<string, string>,
    handlers: ListWatchHandlers<T>,
    signal: AbortSignal,
  ): Promise<void> {
    let version: string | undefined;
    while (!signal.aborted) {
      try {
        if (version === undefined) {
          handlers.onReset();
          let cont: string | undefined;
          let first: string | undefined;
          do {
            const q = new URLSearchParams({
              ...query,
              limit: String(PAGE_SIZE),
              ...(cont ? { continue: cont } : {}),
            });
            const page = await this.request<{
              items: T[];
              metadata: { resourceVersion?: string; continue?: string };
            }>("GET", `${path}?${q.toString()}`, { signal });
            first ??= page.metadata.resourceVersion;
            handlers.onItems(page.items);
            cont = page.metadata.continue || undefined;
          } while (cont !== undefined && !signal.aborted);
          version = first ?? "0";
          handlers.onSynced();
        }
        const q = new URLSearchParams({
          ...query,
          watch: "true",
          allowWatchBookmarks: "true",
          resourceVersion: version,
        });
        let pending = "";
        let gone = false;
        await this.stream(
          `${path}?${q.toString()}`,
          (text) => {
            const lines = (pending + text).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines) {
              if (line.trim() === "") continue;
              const event = JSON.parse(line) as WatchEvent<T>;
              if (event.type === "ERROR") {
                gone = true;
                continue;
              }
              const rv = event.object.metadata.resourceVersion;
              if (rv !== undefined && rv !== "") version = rv;
              if (event.type !== "BOOKMARK") handlers.onEvent(event);
            }
          },
          signal,
        );
        if (gone) version = undefined;
      } catch (err) {
        if (signal.aborted) return;
        handlers.onError(err);
        version = undefined;
        await sleep(1000, signal);
      }
    }
  }
}
