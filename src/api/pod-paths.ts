/**
 * Tekton's pod: the well-known paths inside every step container (`pkg/apis/pipeline/paths.go`,
 * `pkg/pod/workingdir_init.go`, `pkg/pod/entrypoint.go`) and the names Tekton derives from a
 * step's or sidecar's name (`pkg/pod/pod.go` `StepName`, `names.SimpleNameGenerator.RestrictLength`).
 *
 * A step has three names that are easy to confuse:
 * - its **status name** (`status.steps[].name`): `<name>`, or `unnamed-<i>`;
 * - its **directory name** (`/tekton/steps/<dir>`, `$(steps.<dir>.exitCode.path)`):
 *   `step-<status name>`, never truncated;
 * - its **container name**: the directory name cut to 63 characters (Kubernetes' limit).
 *
 * @module
 */

/** Tekton's paths inside every step container. */
export const TektonPath = {
  Workspace: "/workspace",
  Home: "/tekton/home",
  Results: "/tekton/results",
  Steps: "/tekton/steps",
  Run: "/tekton/run",
  Scripts: "/tekton/scripts",
  Creds: "/tekton/creds",
  Artifacts: "/tekton/artifacts",
  DebugScripts: "/tekton/debug/scripts",
  DebugInfo: "/tekton/debug/info",
} as const;
/** One of {@link TektonPath}'s values. */
export type TektonPath = (typeof TektonPath)[keyof typeof TektonPath];

/** Kubernetes' limit on a container name. */
const MAX_CONTAINER_NAME = 63;

/** A step's name in `status.steps`: `<name>`, or `unnamed-<i>` for an unnamed step. */
export function stepStatusName(name: string | undefined, index: number): string {
  return name !== undefined && name !== "" ? name : `unnamed-${index}`;
}

/** A step's directory under `/tekton/steps` (Tekton's `StepName`): `step-<status name>`, untruncated. */
export function stepDirName(name: string | undefined, index: number): string {
  return `step-${stepStatusName(name, index)}`;
}

/** A step's container name: its directory name cut to 63 characters. */
export function stepContainerName(name: string | undefined, index: number): string {
  return restrictLength(stepDirName(name, index));
}

/** All three names of a step. */
export function stepNames(
  name: string | undefined,
  index: number,
): { statusName: string; dirName: string; container: string } {
  return {
    statusName: stepStatusName(name, index),
    dirName: stepDirName(name, index),
    container: stepContainerName(name, index),
  };
}

/** The sidecar Tekton adds to read results from its logs (`results-from: sidecar-logs`); a reserved name. */
export const RESULTS_SIDECAR = "tekton-log-results";

/**
 * Sidecar container name `sidecar-<name>`; an unnamed sidecar becomes `sidecar` (the trailing
 * dash is trimmed), which is why Tekton leaves it out of `status.sidecars`.
 */
export function sidecarContainerName(name: string | undefined): string {
  return restrictLength(`sidecar-${name ?? ""}`);
}

/** Names cut to 63 characters with trailing non-alphanumerics trimmed (`RestrictLength`). */
export function restrictLength(name: string): string {
  return name.slice(0, MAX_CONTAINER_NAME).replace(/[^a-zA-Z0-9]+$/, "");
}
