/**
 * The host executor: every container is a host process in its own process group, optionally
 * inside a bubblewrap sandbox that shows it Tekton's paths at their real places.
 *
 * - Images are ignored. Without `command`, `args` is run as the argv (image-entrypoint
 *   emulation, docs/tekton-semantics.md#step-command); with neither, the container fails to start.
 * - A container ends with its main process: anything it left running in its process group (or,
 *   sandboxed, its PID namespace) is killed. A process that escapes with `setsid` is only
 *   contained by the sandbox.
 * - Exit code: the status, or 128+N when killed by signal N that we did not send.
 * - Env, working directory and the command check: see host-launch.ts. Read-only mounts are only
 *   enforced in the sandbox.
 * - Sidecar probes: `exec` (in the sidecar's view), `tcpSocket` and `httpGet` (on localhost).
 *   Kubernetes defaults apply (timeout 1 s, period 10 s) except that the period is capped at 1 s
 *   so a local run does not wait for nothing; `startupProbe` then `readinessProbe` must pass.
 */
import type { Probe } from "../api/types.js";
import type {
  ContainerOutcome,
  ContainerPlan,
  Executor,
  PodHandle,
  PodPlan,
  SidecarOutcome,
  SidecarPlan,
  StepPlan,
} from "./executor.js";
import { allUnlessAborted } from "./abortable.js";
import {
  BreakpointPath,
  breakpointMounts,
  needsWrapper,
  wrapForBreakpoints,
  writeBreakpointWrapper,
} from "./breakpoint.js";
import { forgetExecTarget, recordExecTarget } from "./exec-target.js";
import { ExecutorKind } from "./executor.js";
import { hostPathFor } from "./mounts.js";
import { startFailed, startProcess, type RunningProcess } from "./process.js";
import { settled } from "./process-settle.js";
import { hostArgv } from "./host-images.js";
import { prepareLaunch, type Launch, type LaunchContext } from "./host-launch.js";
import { chooseBwrap, hostEnvOf, type SandboxChoiceOptions } from "./host-sandbox-choice.js";
import { findOnPath } from "./path-lookup.js";
import { memoizedHostView, realHostView, type HostView } from "./sandbox.js";

export interface HostExecutorOptions extends SandboxChoiceOptions {
  /** The host filesystem as the sandbox planner sees it (tests). */
  hostView?: HostView;
  /** Host directories sandboxed containers must not see (the data directory with the API token). */
  hiddenPaths?: readonly string[];
}

/**
 * Container engines' state on the host, always hidden from sandboxed steps: other containers'
 * root filesystems are not a step's to read, and their mounts come and go, which makes binding
 * their parents racy (a mount vanishing mid-bind fails the step's start).
 */
export const CONTAINER_ENGINE_STATE = [
  "/var/lib/containers",
  "/var/lib/docker",
  "/run/containers",
  "/run/docker",
  "/run/netns",
] as const;

/** Runs containers as host processes, sandboxed with bubblewrap when available. */
export class HostExecutor implements Executor {
  readonly kind = ExecutorKind.Host;
  readonly virtualPaths: boolean;
  private readonly bwrap: string | undefined;
  private readonly busybox: string | undefined;
  private readonly hostEnv: { PATH: string; HOME?: string };
  private readonly view: HostView;
  private readonly hidden: readonly string[];

  constructor(opts: HostExecutorOptions = {}) {
    this.hidden = [...CONTAINER_ENGINE_STATE, ...(opts.hiddenPaths ?? [])];
    this.hostEnv = hostEnvOf(opts);
    this.view = opts.hostView ?? realHostView;
    this.bwrap = chooseBwrap(opts);
    this.virtualPaths = this.bwrap !== undefined;
    this.busybox = findOnPath("busybox", this.hostEnv.PATH);
  }

  async startPod(plan: PodPlan, signal: AbortSignal): Promise<PodHandle> {
    const view = memoizedHostView(this.view);
    const pod = new HostPod(plan, {
      bwrap: this.bwrap,
      busybox: this.busybox,
      hostEnv: this.hostEnv,
      view,
      hidden: this.hidden,
    });
    pod.startSidecars(signal);
    return pod;
  }
}

interface PodContext {
  bwrap: string | undefined;
  /** The host's busybox, standing in for busybox-based images' shells. */
  busybox: string | undefined;
  hostEnv: { PATH: string; HOME?: string };
  view: HostView;
  hidden: readonly string[];
}

interface SidecarRun {
  plan: SidecarPlan;
  proc?: RunningProcess;
  failed?: ContainerOutcome;
  stopped: boolean;
  ready: Promise<void>;
}

class HostPod implements PodHandle {
  private readonly running = new Set<RunningProcess>();
  private readonly sidecars: SidecarRun[] = [];
  private readonly podAbort = new AbortController();
  private readonly launchCtx: LaunchContext;

  constructor(
    private readonly plan: PodPlan,
    private readonly ctx: PodContext,
  ) {
    this.launchCtx = { ...ctx, podDir: plan.dir, runnable: new Set() };
  }

  startSidecars(signal: AbortSignal): void {
    for (const sc of this.plan.sidecars) {
      const started = this.start(sc, undefined, this.podAbort.signal);
      const run: SidecarRun = { plan: sc, stopped: false, ready: Promise.resolve() };
      if (!("pid" in started)) run.failed = started;
      else {
        run.proc = started;
        run.ready = this.awaitReady(sc, started);
      }
      this.sidecars.push(run);
    }
    const onAbort = (): void => this.stopAll();
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener("abort", onAbort, { once: true });
      this.podAbort.signal.addEventListener("abort", () => signal.removeEventListener("abort", onAbort), {
        once: true,
      });
    }
  }

  async sidecarsReady(signal: AbortSignal): Promise<void> {
    await allUnlessAborted(
      this.sidecars.map((s) => s.ready),
      signal,
    );
  }

  async runStep(step: StepPlan, signal: AbortSignal): Promise<ContainerOutcome> {
    if (signal.aborted) {
      const now = new Date();
      return { ended: "aborted", exitCode: 137, startedAt: now, finishedAt: now };
    }
    const started = this.start(step, step.timeoutMs, signal);
    if (!("pid" in started)) return started;
    return started.done;
  }

  async stopSidecars(): Promise<SidecarOutcome[]> {
    this.stopAll();
    const out: SidecarOutcome[] = [];
    for (const run of this.sidecars) {
      if (run.failed !== undefined) {
        out.push({ ...run.failed, name: run.plan.name, exitedBeforeStop: true });
        continue;
      }
      const o = await run.proc!.done;
      out.push({ ...o, name: run.plan.name, exitedBeforeStop: !run.stopped });
    }
    return out;
  }

  async destroy(): Promise<void> {
    this.stopAll();
    this.podAbort.abort();
    const all = [...this.running];
    for (const p of all) p.kill();
    await Promise.all(all.map((p) => p.done));
  }

  private stopAll(): void {
    for (const run of this.sidecars) {
      if (run.proc !== undefined && !run.proc.ended && !run.stopped) {
        run.stopped = true;
        run.proc.kill();
      }
    }
  }

  /** Starts a container, or returns its startFailed outcome. */
  private start(
    c: ContainerPlan,
    timeoutMs: number | undefined,
    signal: AbortSignal,
  ): RunningProcess | ContainerOutcome {
    const hostArgs = hostArgv(
      c,
      (p) => (p.startsWith("/") ? (hostPathFor(c.mounts, p) ?? p) : undefined),
      this.ctx.busybox,
    );
    if (hostArgs.length === 0) {
      return startFailed(
        `Error executing command: container "${c.name}" has no command and no args, and the host executor has no image entrypoint`,
      );
    }
    const debug = this.withBreakpoints(c, hostArgs);
    if (!("argv" in debug)) return debug;
    const { plan, argv } = debug;
    const hermetic = (c as StepPlan).hermetic === true;
    if (hermetic && this.ctx.bwrap === undefined) {
      return startFailed(
        "Error executing command: hermetic execution needs the bubblewrap sandbox, which is not available here",
      );
    }
    let launch: Launch | ContainerOutcome;
    try {
      launch = prepareLaunch(this.launchCtx, plan, argv, hermetic);
    } catch (err) {
      return startFailed(`Error executing command: ${(err as Error).message}`);
    }
    if (!("argv" in launch)) return launch;
    let proc: RunningProcess;
    try {
      proc = startProcess(
        {
          container: c.name,
          argv: launch.argv,
          env: launch.env,
          cwd: launch.cwd,
          logPath: c.logPath,
          ...(c.logMaxBytes !== undefined ? { logMaxBytes: c.logMaxBytes } : {}),
          ...(c.stdoutFile !== undefined ? { stdoutFile: c.stdoutFile } : {}),
          ...(c.stderrFile !== undefined ? { stderrFile: c.stderrFile } : {}),
          ...(this.plan.onLog !== undefined ? { onLog: this.plan.onLog } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        },
        signal,
      );
    } catch (err) {
      return startFailed(`Error executing command: ${(err as Error).message}`);
    }
    this.track(proc);
    if (proc.pid !== undefined) {
      const sandboxed = this.ctx.bwrap !== undefined;
      recordExecTarget(this.plan.dir, c.name, {
        runtime: "process",
        pid: proc.pid,
        sandboxed,
        env: launch.env,
        cwd: launch.innerCwd,
      });
      void proc.done.then(() => forgetExecTarget(this.plan.dir, c.name));
    }
    return proc;
  }

  /** The plan and argv with Tekton's debug breakpoints applied (see breakpoint.ts). */
  private withBreakpoints(
    c: ContainerPlan,
    argv: string[],
  ): { plan: ContainerPlan; argv: string[] } | ContainerOutcome {
    const bp = (c as StepPlan).breakpoints;
    if (!needsWrapper(bp)) return { plan: c, argv };
    if (this.ctx.busybox === undefined)
      return startFailed("Error executing command: debug breakpoints need busybox on the host");
    const wrapper = writeBreakpointWrapper(this.plan.dir);
    if (this.ctx.bwrap === undefined)
      return { plan: c, argv: wrapForBreakpoints(argv, bp, { busybox: this.ctx.busybox, wrapper }) };
    return {
      plan: { ...c, mounts: [...c.mounts, ...breakpointMounts(this.ctx.busybox, wrapper)] },
      argv: wrapForBreakpoints(argv, bp, {
        busybox: BreakpointPath.Busybox,
        wrapper: BreakpointPath.Wrapper,
      }),
    };
  }

  private track(proc: RunningProcess): void {
    this.running.add(proc);
    void proc.done.then(() => this.running.delete(proc));
  }

  /** Resolves when the sidecar is ready (its probes passed, or without probes settled) or has ended. */
  private async awaitReady(sc: SidecarPlan, proc: RunningProcess): Promise<void> {
    const exited = proc.done.then(() => true);
    if (sc.startupProbe === undefined && sc.readinessProbe === undefined) {
      await Promise.race([settled(proc.pid, this.podAbort.signal), exited]);
      return;
    }
    for (const probe of [sc.startupProbe, sc.readinessProbe]) {
      if (probe === undefined) continue;
      if (!(await this.pollProbe(sc, probe, proc, exited))) return;
    }
  }

  /** Polls `probe` until it passes (true) or the sidecar ends or the pod is destroyed (false). */
  private async pollProbe(
    sc: SidecarPlan,
    probe: Probe,
    proc: RunningProcess,
    exited: Promise<boolean>,
  ): Promise<boolean> {
    const signal = this.podAbort.signal;
    const periodMs = Math.min(probe.periodSeconds ?? 10, 1) * 1000;
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    let delay = (probe.initialDelaySeconds ?? 0) * 1000;
    for (;;) {
      if (delay > 0 && (await Promise.race([sleep(delay, signal).then(() => false), exited]))) return false;
      if (proc.ended || signal.aborted) return false;
      if (await this.runProbe(sc, probe, timeoutMs)) return true;
      delay = periodMs;
    }
  }

  private async runProbe(sc: SidecarPlan, probe: Probe, timeoutMs: number): Promise<boolean> {
    if (probe.exec?.command !== undefined && probe.exec.command.length > 0) {
      const launch = prepareLaunch(this.launchCtx, sc, probe.exec.command);
      if (!("argv" in launch)) return false;
      const proc = startProcess(
        { container: sc.name, argv: launch.argv, env: launch.env, cwd: launch.cwd, timeoutMs },
        this.podAbort.signal,
      );
      this.track(proc);
      const o = await proc.done;
      return o.ended === "exited" && o.exitCode === 0;
    }
    const { probeNetwork } = await import("./probe-network.js");
    return probeNetwork(probe, timeoutMs, this.podAbort.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
