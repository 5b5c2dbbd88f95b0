/**
 * The kubeconfig `tektite kubeconfig` prints: one cluster (the server URL and its self-signed
 * certificate as `certificate-authority-data`), one user (the bearer token), one context
 * `tektite` with namespace `default`.
 *
 * @module
 */

import YAML from "yaml";

/** Name of the cluster, user and context in the generated kubeconfig. */
export const KUBECONFIG_NAME = "tektite";

/** What a kubeconfig needs. */
export interface KubeconfigInput {
  server: string;
  token: string;
  /** PEM of the server certificate (trusted as the CA). */
  certificate?: string;
  namespace?: string;
}

/** A kubeconfig document (YAML). */
export function renderKubeconfig(input: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.certificate !== undefined) {
    cluster["certificate-authority-data"] = Buffer.from(input.certificate).toString("base64");
  }
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: KUBECONFIG_NAME, cluster }],
    users: [{ name: KUBECONFIG_NAME, user: { token: input.token } }],
    contexts: [
      {
        name: KUBECONFIG_NAME,
        context: { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, namespace: input.namespace ?? "default" },
      },
    ],
    "current-context": KUBECONFIG_NAME,
    preferences: {},
  };
  return YAML.stringify(doc);
}
