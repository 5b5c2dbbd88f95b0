/**
 * Discovery documents: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/{group}`,
 * `/apis/{group}/{version}`. Only the legacy (non-aggregated) format is served; clients that ask
 * for aggregated discovery fall back to it because the answer's content type is plain JSON.
 *
 * @module
 */

import { GROUP_VERSIONS } from "../api/kinds.js";
import { servedAt, type ServedResource } from "./resources.js";

/** The Kubernetes version tektite reports (kubectl only warns on skew). */
export const KUBE_VERSION = { major: "1", minor: "32" } as const;

/** `/version`. */
export function versionInfo(tektiteVersion: string): Record<string, string> {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.0+tektite-${tektiteVersion}`,
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: "",
    goVersion: "",
    compiler: "tektite",
    platform: `${process.platform}/${process.arch}`,
  };
}

/** `/api`. */
export function apiVersions(): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "" }],
  };
}

function groupInfo(name: string, versionNames: readonly string[]): Record<string, unknown> {
  const versions = versionNames.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

/** `/apis`. */
export function apiGroupList(): Record<string, unknown> {
  const groups = Object.entries(GROUP_VERSIONS).map(([name, versions]) => groupInfo(name, versions));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** `/apis/{group}`, or undefined for an unknown group. */
export function apiGroup(group: string): Record<string, unknown> | undefined {
  const versions = Object.hasOwn(GROUP_VERSIONS, group) ? GROUP_VERSIONS[group] : undefined;
  if (versions === undefined) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupInfo(group, versions) };
}

function apiResources(s: ServedResource): Array<Record<string, unknown>> {
  const main = {
    name: s.resource,
    singularName: s.singular,
    namespaced: s.namespaced,
    kind: s.kind,
    verbs: s.verbs,
    ...(s.shortNames.length > 0 ? { shortNames: s.shortNames } : {}),
    ...(s.categories.length > 0 ? { categories: s.categories } : {}),
    storageVersionHash: "",
  };
  const out: Array<Record<string, unknown>> = [main];
  if (s.type.statusSubresource && !s.synthesized) {
    out.push({
      name: `${s.resource}/status`,
      singularName: "",
      namespaced: s.namespaced,
      kind: s.kind,
      verbs: ["get", "patch", "update"],
    });
  }
  if (s.resource === "pods") {
    out.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
  }
  return out;
}

/** `/api/v1` or `/apis/{group}/{version}`, or undefined when nothing is served there. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const served = servedAt(group, version);
  if (served.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group === "" ? version : `${group}/${version}`,
    resources: served.flatMap(apiResources),
  };
}
