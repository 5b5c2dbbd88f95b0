/**
 * Running a command inside a running container of an attempt (`kubectl exec`, `tektite debug`),
 * from its {@link ExecTarget}: `podman|docker exec` for container executors, `nsenter` into the
 * bubblewrap sandbox's mount, PID and network namespaces for the host executor (with the step's
 * env and working directory), or a plain process for the unsandboxed host executor. With a TTY
 * the command runs on a pseudo-terminal (see pty.ts).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { ExecTarget } from "./exec-target.js";
import { ptyArgv, resizeLine } from "./pty.js";

/** What to run. */
export interface ExecRequest {
  argv: string[];
  tty: boolean;
  /** Initial terminal size (TTY only). */
  cols?: number;
  rows?: number;
}

/** A running exec. The exit code is 126/127 when the command cannot be started, as a shell reports it. */
export interface ExecSession {
  stdin: Writable;
  stdout: Readable;
  /** Empty with a TTY (the terminal carries both streams). */
  stderr: Readable;
  resize(cols: number, rows: number): void;
  done: Promise<number>;
  /** Ends the session (SIGKILL to what it started). */
  kill(): void;
}

/** The container is not (or no longer) running. */
export class ContainerNotRunningError extends Error {
  constructor(readonly container: string) {
    super(`container ${container} is not running`);
    this.name = "ContainerNotRunningError";
  }
}

export interface ExecEnvironment {
  /** Env of the engine CLI (podman/docker). */
  env?: NodeJS.ProcessEnv;
  nsenter?: string;
  /** util-linux `setsid`, as the sandbox sees it (the host's, bound read-only). */
  setsid?: string;
  /** util-linux `setpriv`, as the sandbox sees it. */
  setpriv?: string;
  python?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The sandboxed process inside bwrap: bwrap's child, which lives in the sandbox's namespaces. */
function sandboxPid(bwrapPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${bwrapPid}/task/${bwrapPid}/children`, "utf8").trim().split(/\s+/);
    const first = Number(children[0]);
    return Number.isInteger(first) && first > 0 ? first : undefined;
  } catch {
    return undefined;
  }
}

async function containerRunning(engine: string, name: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(engine, ["container", "inspect", "--format", "{{.State.Running}}", name], {
      env,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0 && out.trim() === "true"));
  });
}

/** The host argv, env and cwd that run `req.argv` in `target`; throws when it is not running. */
async function launchFor(
  container: string,
  target: ExecTarget,
  req: ExecRequest,
  envs: ExecEnvironment,
): Promise<{ argv: string[]; env: NodeJS.ProcessEnv; cwd?: string }> {
  if (target.runtime === "process") {
    if (!alive(target.pid)) throw new ContainerNotRunningError(container);
    if (!target.sandboxed) return { argv: req.argv, env: target.env, cwd: target.cwd };
    const pid = sandboxPid(target.pid);
    if (pid === undefined) throw new ContainerNotRunningError(container);
    const nsenter = envs.nsenter ?? "nsenter";
    const argv = [
      nsenter,
      "--target",
      String(pid),
      "--mount",
      "--pid",
      "--net",
      `--wdns=${target.cwd}`,
      "--",
    ];
    // As unprivileged as the step itself: the sandbox runs it without any capability.
    const drop = [
      envs.setpriv ?? "setpriv",
      "--bounding-set=-all",
      "--inh-caps=-all",
      "--no-new-privs",
      "--",
    ];
    // A shell's job control needs its terminal's session inside the sandbox's PID namespace.
    const session = req.tty ? [envs.setsid ?? "setsid", "--wait", "--ctty"] : [];
    return { argv: [...argv, ...session, ...drop, ...req.argv], env: target.env };
  }
  const env = envs.env ?? process.env;
  if (!(await containerRunning(target.runtime, target.name, env)))
    throw new ContainerNotRunningError(container);
  const flags = req.tty ? ["--interactive", "--tty"] : ["--interactive"];
  return { argv: [target.runtime, "exec", ...flags, target.name, ...req.argv], env };
}

/** Starts `req` in `container` (recorded as `target`). Rejects with ContainerNotRunningError. */
export async function startExec(
  container: string,
  target: ExecTarget,
  req: ExecRequest,
  envs: ExecEnvironment = {},
): Promise<ExecSession> {
  if (req.argv.length === 0) throw new Error("you must specify at least one command for the container");
  const launch = await launchFor(container, target, req, envs);
  const argv = req.tty ? ptyArgv(launch.argv, req.cols ?? 0, req.rows ?? 0, envs.python) : launch.argv;
  const child = spawn(argv[0]!, argv.slice(1), {
    env: launch.env,
    ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}),
    stdio: ["pipe", "pipe", "pipe", req.tty ? "pipe" : "ignore"],
    detached: true,
  });
  const control = req.tty ? (child.stdio[3] as Writable) : undefined;
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  control?.on("error", () => undefined);
  stdin.on("error", () => undefined);
  const done = new Promise<number>((resolve) => {
    let spawnFailed = false;
    child.on("error", (err) => {
      spawnFailed = true;
      stderr.emit("data", Buffer.from(`exec ${argv[0]!}: ${err.message}\n`));
      resolve(127);
    });
    child.on("close", (code, signal) => {
      if (spawnFailed) return;
      resolve(code ?? (signal !== null ? 137 : 1));
    });
  });
  return {
    stdin,
    stdout,
    stderr,
    resize: (cols, rows) => {
      control?.write(resizeLine(cols, rows));
    },
    done,
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}
