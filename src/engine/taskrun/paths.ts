/** Tekton's paths inside every step container (NOTES §5.1). */
export const TektonPath = {
  Workspace: "/workspace",
  Home: "/tekton/home",
  Results: "/tekton/results",
  Steps: "/tekton/steps",
  Run: "/tekton/run",
  Scripts: "/tekton/scripts",
  Creds: "/tekton/creds",
  Artifacts: "/tekton/artifacts",
} as const;

/** Status and container names of a step: `<name>`/`step-<name>`, or `unnamed-<i>`/`step-unnamed-<i>`. */
export function stepNames(
  name: string | undefined,
  index: number,
): { statusName: string; container: string } {
  const statusName = name && name !== "" ? name : `unnamed-${index}`;
  return { statusName, container: restrictLength(`step-${statusName}`) };
}

/**
 * Sidecar container name `sidecar-<name>`; an unnamed sidecar becomes `sidecar` (the trailing
 * dash is trimmed), which is why Tekton leaves it out of `status.sidecars`.
 */
export function sidecarContainerName(name: string | undefined): string {
  return restrictLength(`sidecar-${name ?? ""}`);
}

/** Names cut to 63 characters with trailing non-alphanumerics trimmed. */
export function restrictLength(name: string): string {
  return name.slice(0, 63).replace(/[^a-zA-Z0-9]+$/, "");
}
