/**
 * A new run from an old one, as Tekton's Dashboard makes it: the same spec under a generated
 * name, without the status, the cancel request or the labels and annotations the engine added.
 *
 * @module
 */

import type { KubeObject } from "../../api/types.js";

/** Label naming the run a rerun was made from. */
export const RERUN_OF_LABEL = "dashboard.tekton.dev/rerunOf";

const DROPPED_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);

/** `build-r-x7k2p` and `build` both have the base name `build`. */
export function baseName(name: string): string {
  return name.replace(/-r-[a-z0-9]{5}$/, "");
}

/** The object to create to run `run` again. */
export function rerunOf(run: KubeObject): KubeObject {
  const meta = run.metadata;
  const labels = Object.fromEntries(
    Object.entries(meta.labels ?? {}).filter(([k]) => !k.startsWith("tekton.dev/") && k !== RERUN_OF_LABEL),
  );
  const annotations = Object.fromEntries(
    Object.entries(meta.annotations ?? {}).filter(([k]) => !DROPPED_ANNOTATIONS.has(k)),
  );
  const {
    status: _status,
    statusMessage: _message,
    ...spec
  } = (run["spec"] ?? {}) as Record<string, unknown>;
  return {
    apiVersion: run.apiVersion,
    kind: run.kind,
    metadata: {
      generateName: `${baseName(meta.name ?? "run")}-r-`,
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      labels: { ...labels, [RERUN_OF_LABEL]: meta.name ?? "" },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec,
  };
}
