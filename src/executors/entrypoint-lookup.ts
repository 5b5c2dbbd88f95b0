/**
 * What a container runs, decided the way Tekton's controller decides it (docs/tekton-semantics.md#step-command), from the
 * plan and the image's config. Pure.
 */

/** The parts of an image's config that decide what runs and as whom. */
export interface ImageConfig {
  /** Engine image ID (`sha256:…` or bare hex). */
  id: string;
  entrypoint: string[];
  cmd: string[];
  /** `USER` of the image: `""`, `"1000"`, `"nonroot"`, `"1000:1000"`… */
  user: string;
  /** `repo@sha256:…` digests the engine knows for the image. */
  repoDigests: string[];
}

/**
 * The argv a step or sidecar runs.
 * - With `command`: command + args.
 * - Without: ENTRYPOINT + (args, or CMD when there are no args) when the image has an
 *   ENTRYPOINT; otherwise CMD + args (Tekton's rule, not Docker's: busybox with
 *   `args: [-c, "echo hello"]` runs `sh -c "echo hello"`).
 * Returns an empty array when nothing is left to run.
 */
export function resolveArgv(
  command: string[] | undefined,
  args: string[],
  image: ImageConfig | undefined,
): string[] {
  if (command !== undefined && command.length > 0) return [...command, ...args];
  const entrypoint = image?.entrypoint ?? [];
  const cmd = image?.cmd ?? [];
  if (entrypoint.length > 0) return [...entrypoint, ...(args.length > 0 ? args : cmd)];
  return [...cmd, ...args];
}

/**
 * Kubelet's runAsNonRoot check: the message of the CreateContainerConfigError it reports, or
 * undefined when the container may start. `runAsUser` is the effective (container or pod) value.
 */
export function nonRootViolation(
  runAsNonRoot: boolean | undefined,
  runAsUser: number | undefined,
  imageUser: string,
): string | undefined {
  if (runAsNonRoot !== true) return undefined;
  if (runAsUser !== undefined) {
    return runAsUser === 0 ? "container's runAsUser breaks non-root policy" : undefined;
  }
  const user = imageUser.split(":")[0] ?? "";
  if (user === "" || user === "0" || user === "root")
    return "container has runAsNonRoot and image will run as root";
  if (!/^\d+$/.test(user)) {
    return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root`;
  }
  return undefined;
}

/** Reads an `image inspect` JSON document (podman's or docker's) into an ImageConfig. */
export function imageConfigFromInspect(doc: unknown): ImageConfig {
  const d = (Array.isArray(doc) ? doc[0] : doc) as {
    Id?: string;
    RepoDigests?: string[] | null;
    Config?: {
      Entrypoint?: string[] | string | null;
      Cmd?: string[] | string | null;
      User?: string | null;
    } | null;
  };
  const list = (v: string[] | string | null | undefined): string[] =>
    v == null ? [] : Array.isArray(v) ? v : [v];
  return {
    id: d?.Id ?? "",
    entrypoint: list(d?.Config?.Entrypoint),
    cmd: list(d?.Config?.Cmd),
    user: d?.Config?.User ?? "",
    repoDigests: d?.RepoDigests ?? [],
  };
}
