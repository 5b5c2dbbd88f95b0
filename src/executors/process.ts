/**
 * Process plumbing shared by the host executor: spawning a container's process in its own
 * process group, teeing its output to log files and a live listener, and killing the whole
 * group on timeout, abort or when the main process exits (a container ends with its main
 * process, taking its background children with it).
 */
import { spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  openSync,
  readFileSync,
  readdirSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { constants as osConstants } from "node:os";
import { isAbsolute, join } from "node:path";
import { openOutputFile } from "./contained-write.js";
import type { ContainerOutcome, EndReason, LogListener, LogStream, OutputFile } from "./executor.js";
import { RotatingLog } from "./rotating-log.js";

export interface ProcessSpec {
  /** Container name, passed to `onLog`. */
  container: string;
  /** Program and arguments; `argv[0]` must already be resolved (see {@link checkExecutable}). */
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** Receives both streams (appended); absent for probes, whose output is dropped. */
  logPath?: string;
  /** Bound on the bytes of `logPath` kept on disk, the newest kept ({@link RotatingLog}). */
  logMaxBytes?: number;
  /** Also receive stdout / stderr (appended), opened without following links (contained-write.ts). */
  stdoutFile?: OutputFile;
  stderrFile?: OutputFile;
  onLog?: LogListener;
  /** Kill after this many milliseconds and end with `stepTimeout`; absent or 0 means never. */
  timeoutMs?: number;
}

/** A started process. `done` settles once the process and its group are gone and output is flushed. */
export interface RunningProcess {
  readonly pid: number | undefined;
  readonly startedAt: Date;
  readonly done: Promise<ContainerOutcome>;
  /** True once `done` has settled. */
  readonly ended: boolean;
  /** SIGKILLs the process group; the outcome becomes `aborted` unless it already ended. */
  kill(): void;
}

/** Sends SIGKILL to process group `pgid`, ignoring a group that is already gone. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined || pgid <= 0) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

/**
 * Waits (briefly, bounded) until no live process is left in group `pgid` after it was killed:
 * a SIGKILLed process may close its pipes a moment before it is gone. Zombies that nobody reaps
 * (no init in a container) count as gone.
 */
async function waitGroupGone(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  for (let i = 0; i < 400 && groupHasLiveMembers(pgid); i++) await new Promise((r) => setTimeout(r, 5));
}

function groupHasLiveMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return false; // no procfs: the signal reached the group, trust it
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "<pid> (<comm>) <state> <ppid> <pgrp> ..."; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

/**
 * Exit code of a process: its status, or 128+N when it was killed by signal N (as a shell
 * reports it, and as bubblewrap does for its child).
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal !== null ? osConstants.signals[signal] : undefined;
  return n !== undefined ? 128 + n : 255;
}

/** Step logs may hold secrets a step printed: readable by the server's user only. */
export const LOG_FILE_MODE = 0o600;

/** An outcome for a container that never started. */
export function startFailed(message: string, at: Date = new Date()): ContainerOutcome {
  return { ended: "startFailed", exitCode: 1, startedAt: at, finishedAt: at, message };
}

/**
 * Starts `spec` in a new process group. Output goes to `logPath` (both streams), to
 * `stdoutFile`/`stderrFile` (append, parents created) and to `onLog`. `signal` kills the group
 * at once (outcome `aborted`). Throws {@link OutputFileRefused} for an output file that is a link.
 */
export function startProcess(spec: ProcessSpec, signal: AbortSignal): RunningProcess {
  const startedAt = new Date();
  const fds: number[] = [];
  const open = (file: OutputFile | undefined): number | undefined => {
    if (file === undefined) return undefined;
    try {
      const fd = openOutputFile(file);
      fds.push(fd);
      return fd;
    } catch (err) {
      for (const fd of fds) closeSync(fd);
      log?.close();
      throw err;
    }
  };
  let log: RotatingLog | undefined;
  try {
    log =
      spec.logPath !== undefined ? new RotatingLog(spec.logPath, spec.logMaxBytes, LOG_FILE_MODE) : undefined;
  } catch (err) {
    for (const fd of fds) closeSync(fd);
    throw err;
  }
  const outFd = open(spec.stdoutFile);
  const errFd = open(spec.stderrFile);

  let reason: EndReason | undefined;
  let ended = false;
  const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  const kill = (why: EndReason): void => {
    if (ended) return;
    reason ??= why;
    killGroup(pid);
  };
  const onAbort = (): void => kill("aborted");
  signal.addEventListener("abort", onAbort, { once: true });
  const timer =
    spec.timeoutMs !== undefined && spec.timeoutMs > 0
      ? setTimeout(() => kill("stepTimeout"), spec.timeoutMs)
      : undefined;

  const tee = (stream: LogStream, extraFd: number | undefined) => (chunk: Buffer) => {
    log?.write(chunk);
    if (extraFd !== undefined) writeSync(extraFd, chunk);
    spec.onLog?.(spec.container, stream, chunk);
  };
  child.stdout.on("data", tee("stdout", outFd));
  child.stderr.on("data", tee("stderr", errFd));

  const done = new Promise<ContainerOutcome>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let finishedAt: Date | undefined;
    let spawnError: Error | undefined;
    child.on("error", (err) => {
      spawnError ??= err;
    });
    // The container ends with its main process: kill whatever it left behind in its group.
    child.on("exit", (code, sig) => {
      exit = { code, signal: sig };
      finishedAt = new Date();
      killGroup(pid);
    });
    child.on("close", () => {
      void settle();
    });
    const settle = async (): Promise<void> => {
      await waitGroupGone(pid);
      ended = true;
      if (timer !== undefined) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      for (const fd of fds) closeSync(fd);
      log?.close();
      const end = finishedAt ?? new Date();
      if (exit === undefined || pid === undefined) {
        const msg =
          spawnError !== undefined ? spawnErrorMessage(spec.argv[0]!, spawnError) : "process did not start";
        resolve({ ...startFailed(`Error executing command: ${msg}`, startedAt), finishedAt: end });
        return;
      }
      resolve({
        ended: reason ?? "exited",
        exitCode: exitCodeOf(exit.code, exit.signal),
        startedAt,
        finishedAt: end,
      });
    };
  });
  if (signal.aborted) onAbort();
  return {
    pid,
    startedAt,
    done,
    get ended() {
      return ended;
    },
    kill: () => kill("aborted"),
  };
}

/** Go's `exec` wording for a start failure, as Tekton's entrypoint logs it. */
function spawnErrorMessage(cmd: string, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT" && !cmd.includes("/")) return `exec: "${cmd}": executable file not found in $PATH`;
  if (code === "ENOENT") return `fork/exec ${cmd}: no such file or directory`;
  if (code === "EACCES") return `fork/exec ${cmd}: permission denied`;
  return `fork/exec ${cmd}: ${err.message}`;
}

/** Maps a path as the process would see it to the host file behind it (identity without a sandbox). */
export type PathMapper = (path: string) => string | undefined;

export type ExecCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * Resolves `cmd` as `execve`/`exec.LookPath` would (PATH search when it has no slash, relative
 * to `cwd` otherwise) and checks it can run: it exists, is an executable regular file and is an
 * ELF binary or starts with `#!` whose interpreter exists. Messages follow Go's `exec` errors,
 * prefixed as Tekton's entrypoint does (`Error executing command: …`).
 */
export function checkExecutable(
  cmd: string,
  opts: { pathEnv: string; cwd: string; toHost: PathMapper },
): ExecCheck {
  const fail = (m: string): ExecCheck => ({ ok: false, message: `Error executing command: ${m}` });
  if (cmd === "") return fail(`exec: no command`);
  if (!cmd.includes("/")) {
    for (const dir of opts.pathEnv.split(":")) {
      const candidate = join(dir === "" ? "." : dir, cmd);
      const abs = isAbsolute(candidate) ? candidate : join(opts.cwd, candidate);
      const host = opts.toHost(abs);
      if (host !== undefined && isExecutableFile(host)) return runnable(abs, host, opts, fail);
    }
    return fail(`exec: "${cmd}": executable file not found in $PATH`);
  }
  const abs = isAbsolute(cmd) ? cmd : join(opts.cwd, cmd);
  const host = opts.toHost(abs);
  const st = host !== undefined ? statSync(host, { throwIfNoEntry: false }) : undefined;
  if (host === undefined || st === undefined) return fail(`fork/exec ${cmd}: no such file or directory`);
  if (!st.isFile() || !isExecutableFile(host)) return fail(`fork/exec ${cmd}: permission denied`);
  return runnable(abs, host, opts, fail);
}

function runnable(
  path: string,
  host: string,
  opts: { pathEnv: string; cwd: string; toHost: PathMapper },
  fail: (m: string) => ExecCheck,
): ExecCheck {
  const head = readHead(host, 256);
  if (head === undefined) return { ok: true, path };
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return { ok: true, path };
  if (head.subarray(0, 2).toString("latin1") !== "#!") return fail(`fork/exec ${path}: exec format error`);
  const line = head.subarray(2).toString("utf8").split("\n")[0]!.trim();
  const interp = line.split(/[ \t]+/)[0] ?? "";
  if (interp === "") return fail(`fork/exec ${path}: exec format error`);
  const ih = isAbsolute(interp) ? opts.toHost(interp) : undefined;
  if (ih === undefined || statSync(ih, { throwIfNoEntry: false }) === undefined) {
    return fail(`fork/exec ${path}: no such file or directory`);
  }
  return { ok: true, path };
}

function isExecutableFile(host: string): boolean {
  const st = statSync(host, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return false;
  try {
    accessSync(host, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readHead(host: string, n: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(host, "r");
  } catch {
    return undefined; // executable but unreadable: let execve decide
  }
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
