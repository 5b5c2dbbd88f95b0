/**
 * Names and labels of what the container executor creates in the engine: they tie a pod or
 * container to its Tekton pod and its data directory, so a later process can find, adopt or
 * remove it.
 */

/** Label on every container and pod the executor creates: the attempt's engine pod name. */
export const POD_LABEL = "io.tektite.pod";
/** Label naming the Tekton pod (`<namespace>.<podName>`) an engine pod or container belongs to. */
export const TEKTON_POD_LABEL = "io.tektite.tekton-pod";

/**
 * Label holding the attempt's host directory: it tells apart the pods of two tektite data
 * directories (two servers, or a stale pod of an earlier run) that have the same Tekton pod name.
 */
export const POD_DIR_LABEL = "io.tektite.pod-dir";

export const tektonPodValue = (namespace: string, podName: string): string => `${namespace}.${podName}`;

/** `--filter` arguments selecting what belongs to one attempt of this data directory. */
export const attemptFilter = (namespace: string, podName: string, dir: string): string[] => [
  "--filter",
  `label=${TEKTON_POD_LABEL}=${tektonPodValue(namespace, podName)}`,
  "--filter",
  `label=${POD_DIR_LABEL}=${dir}`,
];

/** The labels of one attempt's pod and containers. */
export const attemptLabels = (
  enginePod: string,
  namespace: string,
  podName: string,
  dir: string,
): Record<string, string> => ({
  [POD_LABEL]: enginePod,
  [TEKTON_POD_LABEL]: tektonPodValue(namespace, podName),
  [POD_DIR_LABEL]: dir,
});

/** A string made safe as (part of) an engine object name. */
export const sanitize = (s: string): string => s.replace(/[^a-zA-Z0-9_.-]/g, "-");
