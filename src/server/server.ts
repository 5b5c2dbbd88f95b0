/**
 * `startServer`: the Kubernetes-compatible API over a store, listening on HTTP. It ensures the
 * `default` namespace and the bearer token exist, records Events for run transitions, emits
 * watch bookmarks on a timer, and on `close()` ends open watches and stops listening (the caller
 * owns the store and the engine).
 *
 * @module
 */

import { serve, type ServerType } from "@hono/node-server";
import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { isIP } from "node:net";
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import { ResourceTypes, type Store } from "../store/index.js";
import { createApp } from "./app.js";
import { ensureToken } from "./auth.js";
import { attachExec } from "./exec.js";
import { startRunObserver } from "./events.js";
import { renderKubeconfig } from "./kubeconfig.js";
import { ServerMetrics } from "./metrics.js";
import { ensureTlsIdentity, type TlsIdentity } from "./tls.js";
import { DEFAULT_UI_DIR } from "./ui.js";

/** Default listen address: loopback only. */
export const DEFAULT_ADDRESS = "127.0.0.1";
/** Default port of `tektite serve`. */
export const DEFAULT_PORT = 8090;

/** Options of {@link startServer}. */
export interface ServerOptions {
  store: Store;
  dataDir: string;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** Listen address (default 127.0.0.1). */
  address?: string;
  /** Port; 0 picks a free one (default {@link DEFAULT_PORT}). */
  port?: number;
  /** Bearer token; default: read or create `<dataDir>/token`. */
  token?: string;
  /** TLS certificate and key; default: read or create `<dataDir>/tls/`. */
  tls?: TlsIdentity;
  /** Metrics registry to use (e.g. shared with the engine); default: a new one. */
  metrics?: ServerMetrics;
  now?: () => Date;
  /** Interval of watch bookmarks (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Poll interval of followed logs (default 200 ms). */
  logPollMs?: number;
  /** Warnings (non-loopback address) and background errors; default: stderr. */
  warn?: (message: string) => void;
  tektiteVersion?: string;
  /** Directory of the built dashboard (default: `dist/ui` of this package). */
  uiDir?: string;
}

/** A running server. */
export interface RunningServer {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  token: string;
  /** The server certificate (PEM), to trust as the CA. */
  certificate: string;
  /** The kubeconfig (YAML) for this server. */
  kubeconfig: string;
  metrics: ServerMetrics;
  /** Ends open watches and log streams, stops listening; resolves when the socket is closed. */
  close(): Promise<void>;
}

/** Whether an address only accepts local connections. */
export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return a === "localhost" || a === "::1" || /^(::ffff:)?127\./.test(a);
}

function ensureDefaultNamespace(store: Store): void {
  if (store.get(ResourceTypes.Namespace, undefined, "default") !== undefined) return;
  store.create(ResourceTypes.Namespace, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "default" },
    status: { phase: "Active" },
  });
}

/** Starts the API server. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const address = opts.address ?? DEFAULT_ADDRESS;
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (!isLoopback(address)) {
    warn(
      `warning: listening on ${address}, which is reachable from other machines; anyone with the token can run commands on this host`,
    );
  }
  const token = opts.token ?? ensureToken(opts.dataDir);
  const tls = opts.tls ?? ensureTlsIdentity(opts.dataDir, address);
  const now = opts.now ?? (() => new Date());
  const metrics = opts.metrics ?? new ServerMetrics(opts.store);
  ensureDefaultNamespace(opts.store);
  const closers = new Set<() => void>();
  const app = createApp({
    store: opts.store,
    features: opts.features,
    defaults: opts.defaults,
    dataDir: opts.dataDir,
    now,
    logPollMs: opts.logPollMs ?? 200,
    token,
    metrics,
    tektiteVersion: opts.tektiteVersion ?? "0.1.0",
    uiDir: opts.uiDir ?? DEFAULT_UI_DIR,
    track: (close) => {
      closers.add(close);
      return () => closers.delete(close);
    },
  });
  const stopObserver = startRunObserver({
    store: opts.store,
    metrics,
    now,
    onError: (err) => warn(`event recording failed: ${String(err)}`),
  });
  const bookmarks = setInterval(() => opts.store.emitBookmarks(), opts.bookmarkIntervalMs ?? 60_000);
  bookmarks.unref();

  const server: ServerType = await new Promise((resolveListen, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: address,
        port: opts.port ?? DEFAULT_PORT,
        createServer: createHttpsServer,
        serverOptions: { cert: tls.cert, key: tls.key },
      },
      () => resolveListen(s),
    );
    s.once("error", reject);
  });
  // Every TCP connection, including one still in its TLS handshake: those are not yet HTTP connections, so
  // closeAllConnections() misses them and a silent client would hold close() for the 120 s handshake timeout.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const stopExec = attachExec(server as Server, { store: opts.store, dataDir: opts.dataDir, token });
  const info = server.address() as AddressInfo;
  const host = isIP(info.address) === 6 ? `[${info.address}]` : info.address;
  const url = `https://${host}:${info.port}`;
  return {
    url,
    token,
    certificate: tls.cert,
    kubeconfig: renderKubeconfig({ server: url, token, certificate: tls.cert }),
    metrics,
    close: async () => {
      clearInterval(bookmarks);
      stopObserver();
      stopExec();
      for (const close of [...closers]) close();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        if ("closeAllConnections" in server) server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
