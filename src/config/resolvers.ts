/**
 * The resolvers' own configuration: each resolver's ConfigMap data (Tekton's shipped defaults,
 * overridden by the config file's `resolvers:` section keyed by ConfigMap name), the hub API
 * base URLs the resolvers' deployment reads from its environment, and whether the network may
 * be used at all.
 */
import type { UrlRewrite } from "./url-map.js";

/** The ConfigMap each resolver reads, by Tekton's names. */
export const ResolverConfigMap = {
  Git: "git-resolver-config",
  Http: "http-resolver-config",
  Bundles: "bundleresolver-config",
  Hub: "hubresolver-config",
  Cluster: "cluster-resolver-config",
} as const;
export type ResolverConfigMap = (typeof ResolverConfigMap)[keyof typeof ResolverConfigMap];

export interface ResolverSettings {
  /** Each resolver's ConfigMap data. */
  configMaps: Record<ResolverConfigMap, Record<string, string>>;
  /** `ARTIFACT_HUB_API` (default `https://artifacthub.io`). */
  artifactHubApi: string;
  /** `TEKTON_HUB_API` (no default: the tekton hub type needs it). */
  tektonHubApi: string;
  /** Only answer from the resolution cache; never fetch. */
  offline: boolean;
  /** The environment the git CLI runs with (its config, proxies, `GIT_CONFIG_*`). */
  gitEnv: NodeJS.ProcessEnv;
  /** Rewrites of the git and http resolvers' URLs to mirrors (`--url-map`, `resolution.urlMap`). */
  urlMap: readonly UrlRewrite[];
  /**
   * Whether the git resolver may read local paths and `file://` URLs. `tektite run` allows them
   * unless told otherwise; `tektite serve` refuses them unless `--allow-local-git` (or
   * `resolution.allowLocalGit`) says so, since anyone who can create runs would read the host.
   */
  allowLocalGit?: boolean;
}

/** The data of the ConfigMaps in Tekton's `config/resolvers/` release manifests. */
export function shippedResolverConfigMaps(): Record<ResolverConfigMap, Record<string, string>> {
  return {
    [ResolverConfigMap.Git]: {
      "fetch-timeout": "1m",
      "default-url": "https://github.com/tektoncd/catalog.git",
      "default-revision": "main",
      "scm-type": "github",
      "server-url": "",
      "api-token-secret-name": "",
      "api-token-secret-key": "",
      "api-token-secret-namespace": "default",
      "default-org": "",
    },
    [ResolverConfigMap.Http]: { "fetch-timeout": "1m" },
    [ResolverConfigMap.Bundles]: { "default-service-account": "default", "default-kind": "task" },
    [ResolverConfigMap.Hub]: {
      "default-tekton-hub-catalog": "Tekton",
      "default-artifact-hub-task-catalog": "tekton-catalog-tasks",
      "default-artifact-hub-pipeline-catalog": "tekton-catalog-pipelines",
      "default-kind": "task",
      "default-type": "artifact",
    },
    [ResolverConfigMap.Cluster]: {
      "default-kind": "task",
      "default-namespace": "",
      "allowed-namespaces": "",
      "blocked-namespaces": "",
    },
  };
}

/** Settings from the environment the resolvers' deployment would see. */
export function defaultResolverSettings(env: NodeJS.ProcessEnv = process.env): ResolverSettings {
  return {
    configMaps: shippedResolverConfigMaps(),
    artifactHubApi: env["ARTIFACT_HUB_API"] || "https://artifacthub.io",
    tektonHubApi: env["TEKTON_HUB_API"] ?? "",
    offline: false,
    gitEnv: { ...env },
    urlMap: [],
  };
}

/**
 * Overlays ConfigMap data from a config file's `resolvers:` section onto `base`.
 * @returns undefined and the offending name when a section is not a resolver ConfigMap.
 */
export function withResolverConfigMaps(
  base: ResolverSettings,
  sections: Record<string, Record<string, string>>,
): ResolverSettings | { unknown: string } {
  const known = new Set<string>(Object.values(ResolverConfigMap));
  const configMaps = { ...base.configMaps };
  for (const [name, data] of Object.entries(sections)) {
    if (!known.has(name)) return { unknown: name };
    const key = name as ResolverConfigMap;
    configMaps[key] = { ...configMaps[key], ...data };
  }
  return { ...base, configMaps };
}
