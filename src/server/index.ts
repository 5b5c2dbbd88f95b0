/**
 * The server domain's entry point: the Kubernetes-compatible HTTP API of `tektite serve`.
 *
 * @module
 */

export { DEFAULT_ADDRESS, DEFAULT_PORT, isLoopback, startServer } from "./server.js";
export type { RunningServer, ServerOptions } from "./server.js";
export { ServerMetrics } from "./metrics.js";
export { ensureToken, readToken, tokenPath } from "./auth.js";
export { renderKubeconfig } from "./kubeconfig.js";
export type { KubeconfigInput } from "./kubeconfig.js";
export { ensureTlsIdentity, readCertificate } from "./tls.js";
export type { TlsIdentity } from "./tls.js";
export { startPruner } from "./pruner.js";
export type { PrunerOptions } from "./pruner.js";
