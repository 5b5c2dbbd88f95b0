/**
 * A new run from an old one's spec, as the Dashboard's "Rerun" and `tkn task start --last` make
 * it: the spec without what a user set to stop it (`status`, `statusMessage`), the user's labels
 * and annotations without the ones Tekton or kubectl set, and a generated name. Pure.
 */
import type { KubeObject } from "../api/types.js";

/** `<name>-r-` for a rerun: an earlier rerun's suffix is dropped so names do not grow. */
export function rerunPrefix(name: string): string {
  return `${name.replace(/-r-[a-z0-9]{5}$/, "")}-r-`;
}

const SYSTEM_KEY = /^(tekton\.dev\/|kubectl\.kubernetes\.io\/|app\.kubernetes\.io\/managed-by$)/;

function userEntries(m: Record<string, string> | undefined): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !SYSTEM_KEY.test(k)));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The run to create again from `old` (a TaskRun or PipelineRun), named from `generateName`. */
export function rerunOf<T extends KubeObject>(old: T, generateName: string): T {
  const spec = { ...((old as { spec?: Record<string, unknown> }).spec ?? {}) };
  delete spec["status"];
  delete spec["statusMessage"];
  const labels = userEntries(old.metadata.labels);
  const annotations = userEntries(old.metadata.annotations);
  return {
    apiVersion: old.apiVersion,
    kind: old.kind,
    metadata: {
      generateName,
      ...(old.metadata.namespace !== undefined ? { namespace: old.metadata.namespace } : {}),
      ...(labels !== undefined ? { labels } : {}),
      ...(annotations !== undefined ? { annotations } : {}),
    },
    spec,
  } as unknown as T;
}

/** The most recently created of `runs` (by creationTimestamp, then name), if any. */
export function latestOf<T extends KubeObject>(runs: readonly T[]): T | undefined {
  return [...runs].sort((a, b) => {
    const t = (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "");
    return t !== 0 ? t : (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
  })[runs.length - 1];
}
