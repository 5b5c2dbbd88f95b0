/**
 * What the host executor knows of common images, since it runs no image: their ENTRYPOINT and
 * CMD (for steps without `command`, docs/tekton-semantics.md#step-command), and whether their shell is busybox's (alpine,
 * busybox), whose `sh`/`ash` accept what the host's dash may not (`[ a == b ]`).
 */
import { readFileSync } from "node:fs";

interface ImageTraits {
  entrypoint: string[];
  cmd: string[];
  busyboxShell: boolean;
}

/** Repository name without registry, tag or digest: `mirror.gcr.io/library/bash@sha256:…` → `bash`. */
export function repositoryName(image: string): string {
  const noDigest = image.split("@")[0] ?? image;
  const lastSlash = noDigest.lastIndexOf("/");
  const colon = noDigest.indexOf(":", lastSlash + 1);
  const path = colon === -1 ? noDigest : noDigest.slice(0, colon);
  return path.slice(path.lastIndexOf("/") + 1);
}

const KNOWN: Record<string, ImageTraits> = {
  busybox: { entrypoint: [], cmd: ["sh"], busyboxShell: true },
  alpine: { entrypoint: [], cmd: ["/bin/sh"], busyboxShell: true },
  // docker-entrypoint.sh runs `bash "$@"` when the first arg is an option, else the args as given.
  bash: { entrypoint: ["docker-entrypoint.sh"], cmd: ["bash"], busyboxShell: false },
  ubuntu: { entrypoint: [], cmd: ["/bin/bash"], busyboxShell: false },
  debian: { entrypoint: [], cmd: ["bash"], busyboxShell: false },
  python: { entrypoint: [], cmd: ["python3"], busyboxShell: false },
  node: { entrypoint: ["docker-entrypoint.sh"], cmd: ["node"], busyboxShell: false },
  perl: { entrypoint: [], cmd: ["perl5.40.0"], busyboxShell: false },
};

export function imageTraits(image: string): ImageTraits | undefined {
  const repo = repositoryName(image);
  if (repo.startsWith("nop")) return { entrypoint: ["true"], cmd: [], busyboxShell: false };
  return KNOWN[repo];
}

/** The argv of a step without `command`: ENTRYPOINT+args (or CMD), or CMD+args when no ENTRYPOINT. */
export function argvWithoutCommand(image: string, args: string[]): string[] {
  const traits = imageTraits(image);
  if (traits === undefined) return args;
  if (traits.entrypoint[0] === "docker-entrypoint.sh") {
    const rest = args.length > 0 ? args : traits.cmd;
    return rest[0]?.startsWith("-") ? [traits.cmd[0] ?? "sh", ...rest] : rest;
  }
  if (traits.entrypoint.length > 0) return [...traits.entrypoint, ...(args.length > 0 ? args : traits.cmd)];
  return [...traits.cmd, ...args];
}

function shebang(hostPath: string): string[] | undefined {
  let head: string;
  try {
    head = readFileSync(hostPath, { encoding: "utf8", flag: "r" }).slice(0, 256);
  } catch {
    return undefined; // not a readable host file: nothing to emulate
  }
  if (!head.startsWith("#!")) return undefined;
  return (head.slice(2).split("\n")[0] ?? "").trim().split(/\s+/);
}

/**
 * For a script on a busybox-based image, or one whose interpreter is `ash`, run it with the host's
 * busybox instead of the host's own shell. Returns the argv to use, or undefined to run as given.
 */
export function busyboxScriptArgv(
  image: string,
  argv: string[],
  scriptHostPath: string | undefined,
  busybox: string | undefined,
): string[] | undefined {
  if (busybox === undefined || scriptHostPath === undefined) return undefined;
  const interp = shebang(scriptHostPath);
  if (interp === undefined) return undefined;
  const program = interp[0] === "/usr/bin/env" ? interp[1] : interp[0];
  const shell = program?.slice(program.lastIndexOf("/") + 1);
  const onBusyboxImage = imageTraits(image)?.busyboxShell === true;
  if (shell === "ash" || (onBusyboxImage && shell === "sh")) return [busybox, shell, ...argv];
  return undefined;
}

/** The host argv for a container: image ENTRYPOINT/CMD emulation, then busybox shells where the image has them. */
export function hostArgv(
  c: { image: string; command?: string[]; args: string[] },
  scriptHostPath: (path: string) => string | undefined,
  busybox: string | undefined,
): string[] {
  const argv =
    c.command !== undefined && c.command.length > 0
      ? [...c.command, ...c.args]
      : argvWithoutCommand(c.image, c.args);
  const first = argv[0];
  if (first === undefined || busybox === undefined) return argv;
  if (
    imageTraits(c.image)?.busyboxShell === true &&
    (first === "sh" || first === "/bin/sh" || first === "ash" || first === "/bin/ash")
  ) {
    return [busybox, "sh", ...argv.slice(1)];
  }
  return busyboxScriptArgv(c.image, argv, scriptHostPath(first), busybox) ?? argv;
}
