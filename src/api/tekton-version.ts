/**
 * Which Tekton Pipelines release tektite emulates, and every behaviour that differs between the
 * releases it can emulate. Anything that depends on the release asks here, never compares versions.
 *
 * - `v1.15` (the default, current Tekton): a failed TaskRun's reason names what failed
 *   (`StepFailed`, `SidecarFailed`, `StepOOM`, `SidecarOOM`, `PodEvicted`; `pkg/pod/status.go`
 *   `getFailureInfo`, since v1.12).
 * - `v1.11`: every such failure is the generic `Failed`, as the seeds and Tekton's conformance suite
 *   document it.
 *
 * Both write the container's termination reason in the message (`"step-x" exited with code 1: Error`),
 * as Tekton has since v1.1.
 */
import { TaskRunReason } from "./reasons.js";

export const TektonVersion = { Current: "v1.15", V1_11: "v1.11" } as const;
export type TektonVersion = (typeof TektonVersion)[keyof typeof TektonVersion];

/** The releases accepted by `--tekton-version` and the config key `tektonVersion`. */
export const TEKTON_VERSIONS: readonly TektonVersion[] = Object.values(TektonVersion);

/** A `--tekton-version` / `tektonVersion` value tektite does not emulate. */
export class UnknownTektonVersionError extends Error {
  override readonly name = "UnknownTektonVersionError";
  constructor(readonly value: string) {
    super(`unknown Tekton version ${JSON.stringify(value)}: expected one of ${TEKTON_VERSIONS.join(", ")}`);
  }
}

/**
 * Parses a release name; `v1.15.0`, `1.15` and `v1.15` all name `v1.15`.
 * @throws UnknownTektonVersionError for any other value.
 */
export function parseTektonVersion(value: string): TektonVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  const named = m ? `v${m[1]}.${m[2]}` : "";
  const found = TEKTON_VERSIONS.find((v) => v === named);
  if (found === undefined) throw new UnknownTektonVersionError(value);
  return found;
}

/** The annotation Tekton's controller puts on every TaskRun it reconciles (and on its pod). */
export const RELEASE_ANNOTATION = "pipeline.tekton.dev/release";

/**
 * The value of the `pipeline.tekton.dev/release` annotation: Tekton's controller writes its build's
 * commit (knative `changeset.Get()`, 7 hex digits), here the commit of the emulated release's tag.
 */
export function releaseCommit(version: TektonVersion): string {
  switch (version) {
    case TektonVersion.Current:
      return "70f7308"; // v1.15.0
    case TektonVersion.V1_11:
      return "5a88281"; // v1.11.1
  }
}

/** What made a TaskRun's pod fail, in `getFailureInfo`'s terms. */
export const PodFailure = {
  StepFailed: "stepFailed",
  StepOOM: "stepOOM",
  SidecarFailed: "sidecarFailed",
  SidecarOOM: "sidecarOOM",
  Evicted: "evicted",
} as const;
export type PodFailure = (typeof PodFailure)[keyof typeof PodFailure];

/** The reason of a TaskRun whose pod failed this way, as the emulated release writes it. */
export function podFailureReason(version: TektonVersion, failure: PodFailure): TaskRunReason {
  if (version === TektonVersion.V1_11) return TaskRunReason.Failed;
  switch (failure) {
    case PodFailure.StepFailed:
      return TaskRunReason.StepFailed;
    case PodFailure.StepOOM:
      return TaskRunReason.StepOOM;
    case PodFailure.SidecarFailed:
      return TaskRunReason.SidecarFailed;
    case PodFailure.SidecarOOM:
      return TaskRunReason.SidecarOOM;
    case PodFailure.Evicted:
      return TaskRunReason.PodEvicted;
  }
}

/** `"<container>" exited with code <n>: <reason>` (`extractContainerFailureMessage`). */
export function exitedMessage(container: string, exitCode: number, terminatedReason: string): string {
  return terminatedReason !== ""
    ? `"${container}" exited with code ${exitCode}: ${terminatedReason}`
    : `"${container}" exited with code ${exitCode}`;
}
