/**
 * Sidecar probes over the network (`tcpSocket`, `httpGet`) against this host, whose network the
 * host executor's pod shares. A module of its own, loaded when a probe first runs, so a run
 * without such probes never loads node's http, https and tls.
 *
 * @module
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { Probe } from "../api/types.js";

/** A `tcpSocket` or `httpGet` probe against this host (the pod's network is the host's). */
export function probeNetwork(probe: Probe, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const target = probe.tcpSocket ?? probe.httpGet;
  const port = Number(target?.port);
  if (target === undefined || !Number.isInteger(port)) return Promise.resolve(false); // named ports are unknown here
  const host = typeof target.host === "string" && target.host !== "" ? target.host : "127.0.0.1";
  const timeout = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  return new Promise((resolve) => {
    if (probe.tcpSocket !== undefined) {
      const sock = connect({ host, port, signal: timeout });
      sock.once("connect", () => {
        sock.destroy();
        resolve(true);
      });
      sock.once("error", () => resolve(false));
      return;
    }
    const scheme = String(probe.httpGet?.scheme ?? "HTTP").toUpperCase();
    const path = typeof probe.httpGet?.path === "string" ? probe.httpGet.path : "/";
    const req = (scheme === "HTTPS" ? httpsRequest : httpRequest)(
      { host, port, path, method: "GET", signal: timeout, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400);
      },
    );
    req.once("error", () => resolve(false));
    req.end();
  });
}
