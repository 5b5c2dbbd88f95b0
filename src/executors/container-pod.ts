/**
 * One attempt's containers. With sidecars the attempt is a pod (podman `pod create --network
 * none`; with docker a "pause" container whose network namespace the others join), so steps and
 * sidecars share localhost and nothing else. Without sidecars there is nothing to share but the
 * volumes (bind mounts): each step is a plain container with no network and the pod's hostname,
 * which saves creating and removing the pod and its infra container.
 *
 * Each step is one attached `run`, strictly one after the other. Containers are kept until
 * `destroy()`, so an exit can be inspected (also by a later process) without racing `--rm`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type {
  ContainerOutcome,
  ContainerPlan,
  PodPlan,
  ResumedPod,
  SidecarOutcome,
  SidecarPlan,
  StepPlan,
} from "./executor.js";
import { allUnlessAborted } from "./abortable.js";
import { forgetExecTarget, recordExecTarget } from "./exec-target.js";
import { cliErrorMessage, type EngineCli } from "./container-engine.js";
import { attemptLabels, sanitize } from "./container-labels.js";
import type { ContainerExecutorOptions } from "./container-options.js";
import { ContainerPreparer, type Inspect, type Prepared } from "./container-prepare.js";
import { RunningContainer } from "./container-run.js";
import { waitSidecarReady } from "./container-probes.js";

interface SidecarRun {
  plan: SidecarPlan;
  run?: RunningContainer;
  failed?: ContainerOutcome;
  ready: Promise<void>;
}

/** What an earlier process left of an attempt, found in the engine. */
export interface Remains {
  /** The engine pod name (also the prefix of every container name). */
  enginePod: string;
  /** Whether an engine pod holds the containers (else they stand alone). */
  inPod: boolean;
  /** Names of the containers found. */
  containers: string[];
}

export class ContainerPod implements ResumedPod {
  /** Engine pod name (podman) or name prefix of every container. */
  private readonly enginePod: string;
  /** No pod or pause container: the attempt has no sidecars to share a network with. */
  private readonly podless: boolean;
  private readonly preparer: ContainerPreparer;
  private readonly running = new Set<RunningContainer>();
  private readonly sidecars: SidecarRun[] = [];
  private readonly podAbort = new AbortController();
  private destroyed: Promise<void> | undefined;
  /** `--rm` containers known to be gone ({@link ContainerPod.noteRemoved}). */
  private readonly removed = new Set<string>();

  constructor(
    private readonly plan: PodPlan,
    private readonly cli: EngineCli,
    private readonly opts: ContainerExecutorOptions,
    inspect: Inspect,
    /** The attempt an earlier process started, to adopt instead of creating. */
    remains?: Remains,
  ) {
    this.enginePod =
      remains?.enginePod ??
      sanitize(`tektite-${plan.namespace}-${plan.name}-${randomBytes(3).toString("hex")}`);
    this.podless = remains !== undefined ? !remains.inPod : plan.sidecars.length === 0;
    const joinArgs = this.podless
      ? ["--network", "none", "--hostname", this.hostname]
      : opts.engine === "podman"
        ? ["--pod", this.enginePod]
        : ["--network", `container:${this.pauseName}`];
    const removeSteps = this.podless && remains === undefined && opts.removeEndedSteps === true;
    this.preparer = new ContainerPreparer(cli, opts, plan, this.enginePod, joinArgs, inspect, removeSteps);
    for (const c of remains?.containers ?? []) this.preparer.names.add(c);
  }

  private get hostname(): string {
    return this.plan.name.slice(0, 63);
  }

  private get pauseName(): string {
    return `${this.enginePod}-pause`;
  }

  /** Attaches to containers an earlier process started in this pod: its sidecars now, a step later. */
  adoptSidecars(): void {
    for (const plan of this.plan.sidecars) {
      const run = this.attach(plan, new AbortController().signal, this.podAbort.signal);
      this.sidecars.push({ plan, run, ready: Promise.resolve() });
    }
  }

  async attachStep(step: StepPlan, signal: AbortSignal): Promise<ContainerOutcome> {
    // The earlier process may have died before the container was created: then start it now.
    const exists = (await this.cli.containerState(this.preparer.nameOf(step.name), signal)) !== undefined;
    return exists ? this.attach(step, signal).done : this.runStep(step, signal);
  }

  private attach(plan: ContainerPlan, signal: AbortSignal, podSignal?: AbortSignal): RunningContainer {
    const name = this.preparer.nameOf(plan.name);
    this.preparer.names.add(name);
    const timeoutMs = (plan as StepPlan).timeoutMs;
    const spec = {
      cli: this.cli,
      plan,
      onLog: this.plan.onLog,
      name,
      // Not `attach`: it misses what the container printed while no process was attached, and
      // fails once the container has ended. The engine's log has the whole output.
      args: ["logs", "--follow", name],
      memoryLimited: plan.resources?.limits?.["memory"] !== undefined,
      adopted: true,
      ...(timeoutMs ? { timeoutMs } : {}),
    };
    return this.track(new RunningContainer(spec, podSignal ?? signal));
  }

  /** Creates the pod (or pause container), when the attempt needs one, and starts the sidecars. */
  async create(signal: AbortSignal): Promise<void> {
    if (this.podless) return;
    const labels = Object.entries(
      attemptLabels(this.enginePod, this.plan.namespace, this.plan.name, this.plan.dir),
    ).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
    const shared = ["--network", "none", "--hostname", this.hostname, ...labels];
    const r =
      this.opts.engine === "podman"
        ? await this.cli.exec(["pod", "create", "--name", this.enginePod, ...shared], signal)
        : await this.cli.exec(
            ["run", "--detach", "--name", this.pauseName, "--init", "--pull", "never", ...shared].concat([
              this.opts.pauseImage ?? "localhost/tektite/busybox:latest",
              "sleep",
              "2147483647",
            ]),
            signal,
          );
    if (r.code !== 0 || signal.aborted) {
      await this.destroy();
      throw new Error(
        `cannot create pod ${this.enginePod}: ${signal.aborted ? "aborted" : cliErrorMessage(r.stderr)}`,
      );
    }
    for (const plan of this.plan.sidecars) this.sidecars.push(this.startSidecar(plan));
  }

  private startSidecar(plan: SidecarPlan): SidecarRun {
    const entry: SidecarRun = { plan, ready: Promise.resolve() };
    const signal = this.podAbort.signal;
    entry.ready = (async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const p = await this.preparer.prepare(attempt === 0 ? plan : this.withWorkdirMount(plan), signal);
        if (!("args" in p)) {
          entry.failed = p;
          return;
        }
        const run = this.track(
          new RunningContainer({ cli: this.cli, plan, onLog: this.plan.onLog, ...p }, signal),
        );
        recordExecTarget(this.plan.dir, plan.name, { runtime: this.opts.engine, name: p.name });
        void run.done.finally(() => forgetExecTarget(this.plan.dir, plan.name));
        entry.run = run;
        await waitSidecarReady({
          cli: this.cli,
          name: p.name,
          gone: () => run.ended,
          signal,
          ...(plan.startupProbe ? { startupProbe: plan.startupProbe } : {}),
          ...(plan.readinessProbe ? { readinessProbe: plan.readinessProbe } : {}),
        });
        if (!run.ended || !this.needsWorkdirMount(plan, await run.done)) return;
      }
    })();
    return entry;
  }

  async sidecarsReady(signal: AbortSignal): Promise<void> {
    await allUnlessAborted(
      this.sidecars.map((s) => s.ready),
      signal,
    );
  }

  async runStep(step: StepPlan, signal: AbortSignal): Promise<ContainerOutcome> {
    const now = new Date();
    if (signal.aborted || this.destroyed !== undefined)
      return { ended: "aborted", exitCode: 137, startedAt: now, finishedAt: now };
    const p = await this.preparer.prepare(step, signal);
    if (!("args" in p)) return p;
    if (signal.aborted) return { ended: "aborted", exitCode: 137, startedAt: now, finishedAt: new Date() };
    const start = (q: Prepared): RunningContainer => {
      recordExecTarget(this.plan.dir, step.name, { runtime: this.opts.engine, name: q.name });
      return this.track(
        new RunningContainer(
          {
            cli: this.cli,
            plan: step,
            onLog: this.plan.onLog,
            ...q,
            ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
          },
          signal,
        ),
      );
    };
    try {
      const o = this.noteRemoved(p, await start(p).done);
      if (!this.needsWorkdirMount(step, o) || signal.aborted) return o;
      const again = await this.preparer.prepare(this.withWorkdirMount(step), signal);
      return "args" in again ? this.noteRemoved(again, await start(again).done) : again;
    } finally {
      forgetExecTarget(this.plan.dir, step.name);
    }
  }

  /** A `--rm` container that ran and exited is gone: `destroy()` need not remove it. */
  private noteRemoved(p: Prepared, o: ContainerOutcome): ContainerOutcome {
    if (p.removeOnExit && o.ended === "exited") this.removed.add(p.name);
    return o;
  }

  /**
   * podman (4.x CLI) refuses a `--workdir` missing from the image, which Kubernetes runtimes
   * create: run again with an empty directory mounted there (nothing of the image is hidden,
   * since the path does not exist in it).
   */
  private needsWorkdirMount(plan: ContainerPlan, o: ContainerOutcome): boolean {
    return (
      (o.ended === "startFailed" || o.ended === "startError") &&
      plan.workingDir !== undefined &&
      /workdir .* does not exist/.test(o.message ?? "")
    );
  }

  private withWorkdirMount<T extends ContainerPlan>(plan: T): T {
    const hostPath = join(this.plan.dir, "workdirs", sanitize(plan.name));
    mkdirSync(hostPath, { recursive: true, mode: 0o755 });
    return {
      ...plan,
      mounts: [...plan.mounts, { hostPath, containerPath: plan.workingDir!, readOnly: false }],
    };
  }

  async stopSidecars(): Promise<SidecarOutcome[]> {
    const out: SidecarOutcome[] = [];
    // Stop them all at once, then collect.
    const byItself = this.sidecars.map((s) => s.run === undefined || s.run.ended);
    for (const s of this.sidecars) s.run?.kill("aborted");
    for (const [i, s] of this.sidecars.entries()) {
      await s.ready.catch(() => undefined);
      const o: ContainerOutcome = s.failed ?? (s.run !== undefined ? await s.run.done : notStarted());
      out.push({ ...o, name: s.plan.name, exitedBeforeStop: byItself[i] === true });
    }
    return out;
  }

  destroy(): Promise<void> {
    this.destroyed ??= this.removeAll();
    return this.destroyed;
  }

  private async removeAll(): Promise<void> {
    this.podAbort.abort();
    for (const r of this.running) r.kill("aborted");
    if (this.podless) {
      await this.cli.remove([...this.preparer.names].filter((n) => !this.removed.has(n)));
    } else if (this.opts.engine === "podman") {
      await this.cli.exec(["pod", "rm", "--force", "--time", "0", this.enginePod]);
      await this.cli.remove([...this.preparer.outsidePod]);
    } else {
      await this.cli.remove([...this.preparer.names]);
      await this.cli.remove([this.pauseName]);
    }
    await Promise.all([...this.running].map((r) => r.done.catch(() => undefined)));
    await Promise.all(this.sidecars.map((s) => s.ready.catch(() => undefined)));
  }

  private track(run: RunningContainer): RunningContainer {
    this.running.add(run);
    void run.done.finally(() => this.running.delete(run));
    return run;
  }
}

function notStarted(): ContainerOutcome {
  const at = new Date();
  return { ended: "startFailed", exitCode: 1, startedAt: at, finishedAt: at, message: "not started" };
}
