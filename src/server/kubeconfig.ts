/**
 * The kubeconfig `tektite kubeconfig` prints: one cluster (the server URL), one user (the bearer
 * token), one context `tektite` with namespace `default`.
 *
 * @module
 */

import YAML from "yaml";

/** Name of the cluster, user and context in the generated kubeconfig. */
export const KUBECONFIG_NAME = "tektite";

/** A kubeconfig document (YAML) for `server` and `token`. */
export function renderKubeconfig(server: string, token: string, namespace = "default"): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: KUBECONFIG_NAME, cluster: { server } }],
    users: [{ name: KUBECONFIG_NAME, user: { token } }],
    contexts: [{ name: KUBECONFIG_NAME, context: { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, namespace } }],
    "current-context": KUBECONFIG_NAME,
    preferences: {},
  };
  return YAML.stringify(doc);
}
