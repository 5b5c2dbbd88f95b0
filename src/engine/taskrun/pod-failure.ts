/**
 * Why a TaskRun whose pod failed is `False`: Tekton's `getFailureInfo` / `getFailureMessage`
 * (`pkg/pod/status.go`) over the containers that ended in failure, for the emulated release.
 */
import { TektonVersion, PodFailure, exitedMessage, podFailureReason } from "../../api/tekton-version.js";
import { StepTerminationReason } from "../../api/reasons.js";

/** A step or sidecar container that ended in failure, as its container status shows it. */
export interface FailedContainer {
  /** `step-<name>` or `sidecar-<name>`. */
  container: string;
  role: "step" | "sidecar";
  exitCode: number;
  /** The container's `terminated.reason`: `Error` or `OOMKilled`. */
  terminatedReason: string;
  /** The entrypoint killed the step at its `timeout`. */
  timedOut: boolean;
}

export interface PodFailureCondition {
  reason: string;
  message: string;
}

/**
 * The failure condition of a pod whose containers (in pod order: steps, then sidecars) include
 * `failed`; undefined when none failed. Current Tekton classifies by priority — sidecar OOM, step
 * OOM, sidecar failure, step failure — and describes the container it classified; v1.11 says
 * `Failed` and describes the first failed container.
 */
export function podFailureCondition(
  version: TektonVersion,
  failed: readonly FailedContainer[],
): PodFailureCondition | undefined {
  const oom = (c: FailedContainer): boolean => c.terminatedReason === StepTerminationReason.OOMKilled;
  const ranked: Array<[PodFailure, (c: FailedContainer) => boolean]> = [
    [PodFailure.SidecarOOM, (c) => c.role === "sidecar" && oom(c)],
    [PodFailure.StepOOM, (c) => c.role === "step" && oom(c)],
    [PodFailure.SidecarFailed, (c) => c.role === "sidecar"],
    [PodFailure.StepFailed, (c) => c.role === "step"],
  ];
  if (version === TektonVersion.V1_11) {
    const first = failed[0];
    return first && { reason: podFailureReason(version, PodFailure.StepFailed), message: messageOf(first) };
  }
  for (const [kind, matches] of ranked) {
    const c = failed.find(matches);
    if (c !== undefined) return { reason: podFailureReason(version, kind), message: messageOf(c) };
  }
  return undefined;
}

function messageOf(c: FailedContainer): string {
  return c.timedOut
    ? `"${c.container}" exited because the step exceeded the specified timeout limit`
    : exitedMessage(c.container, c.exitCode, c.terminatedReason);
}
