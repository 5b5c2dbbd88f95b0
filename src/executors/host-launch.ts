/**
 * How the host executor turns a container plan into a process to spawn: the env (the plan's, plus
 * the host's `PATH`/`HOME` when it sets none), the working directory, the check that the command
 * can run, and — sandboxed — the bwrap argv that builds the container's filesystem.
 *
 * - Working directory: `workingDir` (relative ones under `/workspace`); without one, `/workspace`
 *   when it is mounted, else `/` (sandboxed) or the attempt directory (unsandboxed).
 * - Unsandboxed, a container path under a mount is mapped to its host directory, and an absolute
 *   path outside every mount that does not exist on the host is made under `<dir>/rootfs/`.
 *
 * @module
 */
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, isAbsolute, join, posix } from "node:path";
import { TektonPath } from "../api/pod-paths.js";
import type { ContainerOutcome, ContainerPlan, Mount } from "./executor.js";
import { cleanPath, hostPathFor, mountFor } from "./mounts.js";
import { checkExecutable, startFailed, type PathMapper } from "./process.js";
import { bwrapArgs, planSandbox, type HostView } from "./sandbox.js";

/** What launching needs to know about the pod and the host (one per pod). */
export interface LaunchContext {
  /** The bwrap binary when containers are sandboxed. */
  bwrap: string | undefined;
  hostEnv: { PATH: string; HOME?: string };
  view: HostView;
  /** Host directories sandboxed containers must not see. */
  hidden: readonly string[];
  /** The attempt directory. */
  podDir: string;
  /**
   * Commands already found runnable in this pod, by command, PATH, cwd and the step's mounts: only
   * those resolved outside every mount and the attempt directory, which no step of the pod can change.
   */
  runnable: Set<string>;
}

/** A prepared launch: the argv to spawn on the host, its env and cwd. */
export interface Launch {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** The working directory as the container sees it. */
  innerCwd: string;
}

function envOf(ctx: LaunchContext, c: ContainerPlan): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env) env[e.name] = e.value;
  env.PATH ??= ctx.hostEnv.PATH;
  if (env.HOME === undefined && ctx.hostEnv.HOME !== undefined) env.HOME = ctx.hostEnv.HOME;
  return env;
}

/** Resolves cwd, checks the command and builds the host argv (wrapped in bwrap when sandboxed). */
export function prepareLaunch(
  ctx: LaunchContext,
  c: ContainerPlan,
  argv: string[],
  hermetic = false,
): Launch | ContainerOutcome {
  const env = envOf(ctx, c);
  const pathEnv = env.PATH ?? "";
  if (ctx.bwrap !== undefined) {
    const cwd = sandboxCwd(c);
    const mounts = withHome(ctx, c, env.HOME);
    const sandbox = planSandbox({ mounts, dirs: [cwd], hidden: ctx.hidden }, ctx.view);
    for (const d of sandbox.hostDirs) mkdirSync(d, { recursive: true });
    for (const f of sandbox.hostFiles) touch(f);
    const toHost = (p: string): string | undefined => {
      const h = hostPathFor(mounts, p);
      if (h !== undefined) return h;
      return /^\/(tmp|proc|dev)(\/|$)/.test(p) ? undefined : p;
    };
    const failure = checkCommand(ctx, argv[0]!, { pathEnv, cwd, toHost }, mounts);
    if (failure !== undefined) return failure;
    const net = hermetic ? ["--unshare-net"] : [];
    return { argv: [ctx.bwrap, ...net, ...bwrapArgs(sandbox, cwd, argv)], env, cwd: "/", innerCwd: cwd };
  }
  const cwd = hostCwd(ctx, c);
  const failure = checkCommand(ctx, argv[0]!, { pathEnv, cwd, toHost: (p) => p }, c.mounts);
  if (failure !== undefined) return failure;
  return { argv, env, cwd, innerCwd: cwd };
}

/** {@link checkExecutable}, answered from the pod's memory for a system command it already found. */
function checkCommand(
  ctx: LaunchContext,
  cmd: string,
  opts: { pathEnv: string; cwd: string; toHost: PathMapper },
  mounts: readonly Mount[],
): ContainerOutcome | undefined {
  // A later step may mount a volume over a directory this one searched: its mounts are part of the key.
  const key = [cmd, opts.pathEnv, opts.cwd, ...mounts.map((m) => `${m.containerPath}=${m.hostPath}`)].join(
    "\0",
  );
  if (ctx.runnable.has(key)) return undefined;
  const check = checkExecutable(cmd, opts);
  if (!check.ok) return startFailed(check.message);
  const searched = cmd.includes("/") ? [check.path] : opts.pathEnv.split(":");
  if (searched.every((p) => outsidePod(ctx, p, mounts))) ctx.runnable.add(key);
  return undefined;
}

/** Whether no step of the pod can change what is at `path` (an absolute host path outside its mounts). */
function outsidePod(ctx: LaunchContext, path: string, mounts: readonly Mount[]): boolean {
  if (!isAbsolute(path)) return false;
  const p = posix.normalize(path);
  const under = (dir: string): boolean =>
    dir === "/" || p === dir || p.startsWith(dir + "/") || dir.startsWith(p + "/");
  if (under(ctx.podDir) || /^\/(tmp|proc|dev)(\/|$)/.test(p)) return false;
  return !mounts.some((m) => under(m.containerPath) || under(m.hostPath));
}

/**
 * The sandbox's `$HOME` is writable and the container's own, as a container's home is in its
 * image's writable layer (`git config --global` works): the creds-init tree when the step has
 * credentials, else an empty directory of this container. The host's home stays out of view.
 * A home under a writable mount (`HOME=/tekton/home`) is that mount.
 */
function withHome(ctx: LaunchContext, c: ContainerPlan, home: string | undefined): readonly Mount[] {
  if (home === undefined || !isAbsolute(home) || cleanPath(home) === "/") return c.mounts;
  if (c.credsHome !== undefined) {
    return [...c.mounts, { hostPath: c.credsHome, containerPath: home, readOnly: false }];
  }
  const covering = mountFor(c.mounts, home);
  if (covering !== undefined && !covering.readOnly) return c.mounts;
  const hostPath = join(ctx.podDir, "homes", c.name);
  mkdirSync(hostPath, { recursive: true });
  return [...c.mounts, { hostPath, containerPath: home, readOnly: false }];
}

function sandboxCwd(c: ContainerPlan): string {
  const wd = c.workingDir;
  if (wd === undefined || wd === "")
    return mountFor(c.mounts, TektonPath.Workspace) ? TektonPath.Workspace : "/";
  return isAbsolute(wd) ? posix.normalize(wd) : posix.join(TektonPath.Workspace, wd);
}

function hostCwd(ctx: LaunchContext, c: ContainerPlan): string {
  const workspace = hostPathFor(c.mounts, TektonPath.Workspace);
  const wd = c.workingDir;
  let dir: string;
  if (wd === undefined || wd === "") dir = workspace ?? ctx.podDir;
  else if (!isAbsolute(wd)) dir = join(workspace ?? ctx.podDir, wd);
  else {
    const mapped = hostPathFor(c.mounts, wd);
    const ours = [ctx.podDir, ...c.mounts.map((m) => m.hostPath)].some(
      (h) => wd === h || wd.startsWith(h + "/"),
    );
    if (mapped !== undefined) dir = mapped;
    else if (ours || existsSync(wd)) dir = wd;
    else dir = join(ctx.podDir, "rootfs", wd);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function touch(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  closeSync(openSync(path, "a"));
}
