/**
 * One attached `podman|docker run`: streams the container's stdout/stderr to its log files and
 * the live listener, kills it at once on timeout or abort, and turns its end into an outcome.
 */
import { closeSync, rmSync, writeSync } from "node:fs";
import type {
  ContainerOutcome,
  ContainerPlan,
  EndReason,
  LogListener,
  LogStream,
  OutputFile,
} from "./executor.js";
import { cliErrorMessage, type EngineCli } from "./container-engine.js";
import { OutputFileRefused, openOutputFile } from "./contained-write.js";
import { LOG_FILE_MODE, startFailed } from "./process.js";
import { classifyStartFailure } from "./start-failure.js";
import { RotatingLog, rotatedLogPath } from "./rotating-log.js";

function sameFile(a: OutputFile, b: OutputFile): boolean {
  return a.root === b.root && a.path === b.path;
}

/** Log destinations of one container: the log file, stdout/stderr files, the live listener. */
export class LogSink {
  private readonly log: RotatingLog;
  private readonly fds: { out?: number; err?: number };
  /** Why a stdout/stderr file could not be opened: the container must not be started. */
  readonly refused: OutputFileRefused | undefined;

  /** @param fresh - start the files anew: the container's whole output is about to be written again. */
  constructor(
    private readonly plan: ContainerPlan,
    private readonly onLog: LogListener | undefined,
    fresh = false,
  ) {
    if (fresh) rmSync(rotatedLogPath(plan.logPath), { force: true });
    this.log = new RotatingLog(plan.logPath, plan.logMaxBytes, LOG_FILE_MODE, fresh);
    this.fds = {};
    try {
      if (plan.stdoutFile !== undefined) this.fds.out = openOutputFile(plan.stdoutFile, { truncate: fresh });
      // Both streams into one file (the same path twice) share the descriptor, as appends would.
      if (plan.stderrFile !== undefined)
        this.fds.err =
          plan.stdoutFile !== undefined && sameFile(plan.stdoutFile, plan.stderrFile)
            ? this.fds.out
            : openOutputFile(plan.stderrFile, { truncate: fresh });
    } catch (err) {
      if (!(err instanceof OutputFileRefused)) throw err;
      this.refused = err;
    }
  }

  write(stream: LogStream, chunk: Buffer): void {
    this.log.write(chunk);
    const fd = stream === "stdout" ? this.fds.out : this.fds.err;
    if (fd !== undefined) writeSync(fd, chunk);
    this.onLog?.(this.plan.name, stream, chunk);
  }

  close(): void {
    this.log.close();
    for (const fd of new Set([this.fds.out, this.fds.err])) if (fd !== undefined) closeSync(fd);
  }
}

/** `podman|docker run` exits 125 when it failed itself, 126/127 when the command could not be run. */
const CLI_FAILURE_EXIT_CODE = 125;

export interface RunSpec {
  cli: EngineCli;
  /** Engine container name. */
  name: string;
  /** CLI arguments (`run …`). */
  args: string[];
  plan: ContainerPlan;
  onLog: LogListener | undefined;
  /** Kill after this many milliseconds and end with `stepTimeout`; absent or 0: never. */
  timeoutMs?: number;
  /** A SIGKILL we did not send, with a memory limit set, is reported as an OOM kill. */
  memoryLimited: boolean;
  imageID?: string;
  /**
   * Run with `--rm`: the container is gone when the CLI exits, so the CLI's exit code is the
   * container's, unless the CLI itself failed first (its `Error: …`, exit 125–127).
   */
  removeOnExit?: boolean;
  /**
   * `args` follow the whole output of a container started by an earlier process (rewriting its log
   * files from the start); its exit code comes from inspect.
   */
  adopted?: boolean;
}

/** A container being run. `done` settles after the CLI exited and the output is written. */
export class RunningContainer {
  readonly startedAt = new Date();
  readonly done: Promise<ContainerOutcome>;
  private killReason: EndReason | undefined;
  private exited = false;
  private exitedPromise: Promise<void>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spec: RunSpec,
    signal: AbortSignal,
  ) {
    const sink = new LogSink(spec.plan, spec.onLog, spec.adopted === true);
    if (sink.refused !== undefined) {
      sink.close();
      this.exited = true;
      this.exitedPromise = Promise.resolve();
      this.done = Promise.resolve(startFailed(`Error executing command: ${sink.refused.message}`));
      return;
    }
    const child = spec.cli.spawn(spec.args);
    child.stdin.end();
    const stderrTail: Buffer[] = [];
    // The CLI's own error (the container could not start) comes before any output: hold such a
    // chunk back, and drop it from the logs when the container indeed did not start.
    let quiet = true;
    let held: Buffer | undefined;
    const flush = (): void => {
      if (held !== undefined) sink.write("stderr", held);
      held = undefined;
    };
    child.stdout.on("data", (c: Buffer) => {
      quiet = false;
      flush();
      sink.write("stdout", c);
    });
    child.stderr.on("data", (c: Buffer) => {
      stderrTail.push(c);
      if (stderrTail.length > 16) stderrTail.shift();
      if (quiet && /^(docker: )?Error/.test(c.toString("utf8"))) {
        held = held === undefined ? c : Buffer.concat([held, c]);
        return;
      }
      quiet = false;
      flush();
      sink.write("stderr", c);
    });
    let spawnError = "";
    child.on("error", (e) => (spawnError = e.message));
    const closed = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 255)));
    this.exitedPromise = closed.then(() => {
      this.exited = true;
    });
    const onAbort = (): void => this.kill("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    if (spec.timeoutMs !== undefined && spec.timeoutMs > 0) {
      this.timer = setTimeout(() => this.kill("stepTimeout"), spec.timeoutMs);
    }
    this.done = closed.then(async (code) => {
      clearTimeout(this.timer);
      signal.removeEventListener("abort", onAbort);
      const stderr = Buffer.concat(stderrTail).toString("utf8") + spawnError;
      const outcome = await this.outcome(code, stderr, held !== undefined || spawnError !== "");
      if (outcome.ended !== "startFailed" && outcome.ended !== "startError") flush();
      sink.close();
      return outcome;
    });
  }

  /** True once the CLI process has exited. */
  get ended(): boolean {
    return this.exited;
  }

  /**
   * Kills the container at once (SIGKILL, no grace period). The outcome becomes `reason` unless
   * the container had already ended. Repeats until the attached CLI exits, so a container that
   * was still being created when the kill came is caught too.
   */
  kill(reason: EndReason): void {
    if (this.exited || this.killReason !== undefined) return;
    this.killReason = reason;
    void this.killLoop();
  }

  private async killLoop(): Promise<void> {
    while (!this.exited) {
      await this.spec.cli.kill([this.spec.name]);
      await Promise.race([this.exitedPromise, new Promise((r) => setTimeout(r, 200))]);
    }
  }

  /** @param cliFailed - the CLI printed its own error before any output of the container. */
  private async outcome(code: number, stderr: string, cliFailed: boolean): Promise<ContainerOutcome> {
    const base = {
      startedAt: this.startedAt,
      finishedAt: new Date(),
      ...(this.spec.imageID ? { imageID: this.spec.imageID } : {}),
    };
    if (this.killReason !== undefined) return { ...base, ended: this.killReason, exitCode: 137 };
    if (code === 0 && !this.spec.adopted) return { ...base, ended: "exited", exitCode: 0 };
    if (this.spec.removeOnExit === true) {
      if (cliFailed && code >= CLI_FAILURE_EXIT_CODE)
        return { ...base, ...classifyStartFailure(cliErrorMessage(stderr) || `exit code ${code}`) };
      const oom = code === 137 && this.spec.memoryLimited;
      return { ...base, ended: oom ? "oomKilled" : "exited", exitCode: code };
    }
    if (this.spec.adopted) await this.spec.cli.exec(["wait", this.spec.name]);
    const state = await this.spec.cli.containerState(this.spec.name);
    if (
      this.spec.adopted &&
      state !== undefined &&
      state.status !== "created" &&
      state.status !== "configured"
    ) {
      return { ...base, ended: state.oomKilled ? "oomKilled" : "exited", exitCode: state.exitCode };
    }
    if (state === undefined || state.status === "created" || state.status === "configured") {
      // The engine could not create or start it (bad argument, command not found…).
      return {
        ...base,
        ...classifyStartFailure(state?.error || cliErrorMessage(stderr) || `exit code ${code}`),
      };
    }
    const exitCode = state.exitCode !== 0 ? state.exitCode : code;
    if (state.oomKilled || (exitCode === 137 && this.spec.memoryLimited))
      return { ...base, ended: "oomKilled", exitCode };
    return { ...base, ended: "exited", exitCode };
  }
}
