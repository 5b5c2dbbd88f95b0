/**
 * The container executor: each attempt is a pod (podman `pod create --network none`; with docker a
 * "pause" container whose network namespace the others join), so steps and sidecars share
 * localhost and nothing else. Each step is one attached `run`, strictly one after the other.
 *
 * - Images go through the image map, then the pull policy (`never`, `missing`, `always`); a
 *   missing image ends the container with `imagePullFailed`.
 * - Without `command`, the image config decides what runs (NOTES §5.2), passed as an explicit
 *   entrypoint; the config is cached per image.
 * - Timeout and abort SIGKILL the container at once (no stop grace). A SIGKILL we did not send to
 *   a container with a memory limit is reported as `oomKilled` (cgroup v1 hosts do not always
 *   record OOMKilled).
 * - Containers are kept until `destroy()` (one `pod rm` removes them all), so an exit can be
 *   inspected without racing `--rm`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type {
  ContainerOutcome,
  ContainerPlan,
  Executor,
  PodHandle,
  PodPlan,
  ResumedPod,
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
import { effectiveSecurity, runArgs, type EngineName } from "./container-args.js";
import { EngineCli, cliErrorMessage, type EngineCliOptions } from "./container-engine.js";
import { RunningContainer } from "./container-run.js";
import { waitSidecarReady } from "./container-probes.js";
import { nonRootViolation, resolveArgv, type ImageConfig } from "./entrypoint-lookup.js";
import { mapImage, type ImageMap } from "./image-map.js";
import { canonicalImage, parseImageRef } from "./image-ref.js";
import { memoryBytes } from "./quantity.js";

export { detectContainerEngine } from "./container-engine.js";

/** When images are pulled: never (offline), when missing, or before every pod. */
export const PullPolicy = { Never: "never", Missing: "missing", Always: "always" } as const;
export type PullPolicy = (typeof PullPolicy)[keyof typeof PullPolicy];

/** Label on every container and pod the executor creates. */
export const POD_LABEL = "io.tektite.pod";
/** Label naming the Tekton pod (`<namespace>.<podName>`) an engine pod or container belongs to. */
export const TEKTON_POD_LABEL = "io.tektite.tekton-pod";

/**
 * Label holding the attempt's host directory: it tells apart the pods of two tektite data
 * directories (two servers, or a stale pod of an earlier run) that have the same Tekton pod name.
 */
export const POD_DIR_LABEL = "io.tektite.pod-dir";

const tektonPodValue = (namespace: string, podName: string): string => `${namespace}.${podName}`;

/** `--filter` arguments selecting what belongs to one attempt of this data directory. */
const attemptFilter = (namespace: string, podName: string, dir: string): string[] => [
  "--filter",
  `label=${TEKTON_POD_LABEL}=${tektonPodValue(namespace, podName)}`,
  "--filter",
  `label=${POD_DIR_LABEL}=${dir}`,
];

export interface ContainerExecutorOptions extends EngineCliOptions {
  engine: EngineName;
  /** Default `missing`. Per-container `imagePullPolicy` is not used: this policy decides. */
  pull?: PullPolicy;
  /** Applied to every image before anything else. */
  imageMap?: ImageMap;
  /** Run catatonit as PID 1 in every container (default false: a command that cannot be started
   * then fails the container start, which is reported as `startFailed`). */
  init?: boolean;
  /** docker only: the image of the pause container that holds the pod's network namespace. */
  pauseImage?: string;
  /** A static busybox on the host, mounted into steps with debug breakpoints. */
  busybox?: string;
}

/** Runs TaskRun attempts as pods of podman or docker containers. */
export class ContainerExecutor implements Executor {
  readonly kind: ExecutorKind;
  readonly virtualPaths = true;
  private readonly cli: EngineCli;
  private readonly images = new Map<string, Promise<ImageConfig | undefined>>();

  constructor(private readonly opts: ContainerExecutorOptions) {
    this.kind = opts.engine === "podman" ? ExecutorKind.Podman : ExecutorKind.Docker;
    this.cli = new EngineCli(opts.engine, opts);
  }

  /** Removes what an attempt left in the engine when the process running it died. */
  async releasePod(namespace: string, podName: string, dir: string): Promise<void> {
    const filter = attemptFilter(namespace, podName, dir);
    if (this.opts.engine === "podman") {
      const pods = (await this.cli.exec(["pod", "ps", "-q", ...filter])).stdout.split("\n").filter(Boolean);
      if (pods.length > 0) await this.cli.exec(["pod", "rm", "--force", "--time", "0", ...pods]);
    }
    const containers = (await this.cli.exec(["ps", "-aq", ...filter])).stdout.split("\n").filter(Boolean);
    if (containers.length > 0) await this.cli.exec(["rm", "--force", ...containers]);
  }

  async resumePod(plan: PodPlan, signal: AbortSignal): Promise<ResumedPod | undefined> {
    if (this.opts.engine !== "podman") return undefined;
    const filter = attemptFilter(plan.namespace, plan.name, plan.dir);
    const r = await this.cli.exec(["pod", "ps", ...filter, "--format", "{{.Name}}"], signal);
    const existing = r.stdout.split("\n").filter(Boolean)[0];
    if (r.code !== 0 || existing === undefined) return undefined;
    const pod = new ContainerPod(plan, this.cli, this.opts, (ref, s) => this.inspectCached(ref, s), existing);
    pod.adoptSidecars();
    return pod;
  }

  async startPod(plan: PodPlan, signal: AbortSignal): Promise<PodHandle> {
    const pod = new ContainerPod(plan, this.cli, this.opts, (ref, s) => this.inspectCached(ref, s));
    await pod.create(signal);
    return pod;
  }

  /** The image config, cached once found. */
  private async inspectCached(ref: string, signal: AbortSignal): Promise<ImageConfig | undefined> {
    let p = this.images.get(ref);
    if (p === undefined) {
      p = this.cli.inspectImage(ref, signal);
      this.images.set(ref, p);
    }
    const config = await p;
    if (config === undefined) this.images.delete(ref);
    return config;
  }
}

type Inspect = (ref: string, signal: AbortSignal) => Promise<ImageConfig | undefined>;

interface Prepared {
  name: string;
  args: string[];
  imageID: string;
  memoryLimited: boolean;
}

interface SidecarRun {
  plan: SidecarPlan;
  run?: RunningContainer;
  failed?: ContainerOutcome;
  ready: Promise<void>;
}

const sanitize = (s: string): string => s.replace(/[^a-zA-Z0-9_.-]/g, "-");

class ContainerPod implements ResumedPod {
  /** Engine pod name (podman) or name prefix of every container (docker). */
  private readonly podName: string;
  private readonly names = new Set<string>();
  /** Containers not in the engine pod (hermetic steps), removed one by one. */
  private readonly outsidePod = new Set<string>();
  private readonly running = new Set<RunningContainer>();
  private readonly sidecars: SidecarRun[] = [];
  private readonly podAbort = new AbortController();
  private readonly pulled = new Map<string, Promise<string | undefined>>();
  private destroyed: Promise<void> | undefined;

  constructor(
    private readonly plan: PodPlan,
    private readonly cli: EngineCli,
    private readonly opts: ContainerExecutorOptions,
    private readonly inspect: Inspect,
    /** The engine pod of an attempt started by an earlier process, to adopt instead of creating. */
    existing?: string,
  ) {
    this.podName =
      existing ?? sanitize(`tektite-${plan.namespace}-${plan.name}-${randomBytes(3).toString("hex")}`);
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
    const exists =
      (await this.cli.containerState(sanitize(`${this.podName}-${step.name}`), signal)) !== undefined;
    return exists ? this.attach(step, signal).done : this.runStep(step, signal);
  }

  private attach(plan: ContainerPlan, signal: AbortSignal, podSignal?: AbortSignal): RunningContainer {
    const name = sanitize(`${this.podName}-${plan.name}`);
    this.names.add(name);
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

  private get pauseName(): string {
    return `${this.podName}-pause`;
  }

  /** Creates the pod (or pause container) and starts the sidecars. */
  async create(signal: AbortSignal): Promise<void> {
    const hostname = this.plan.name.slice(0, 63);
    const label = `${POD_LABEL}=${this.podName}`;
    const owner = `${TEKTON_POD_LABEL}=${tektonPodValue(this.plan.namespace, this.plan.name)}`;
    const dirLabel = `${POD_DIR_LABEL}=${this.plan.dir}`;
    const r =
      this.opts.engine === "podman"
        ? await this.cli.exec(
            [
              "pod",
              "create",
              "--name",
              this.podName,
              "--network",
              "none",
              "--hostname",
              hostname,
              "--label",
              label,
              "--label",
              owner,
              "--label",
              dirLabel,
            ],
            signal,
          )
        : await this.cli.exec(
            [
              "run",
              "--detach",
              "--name",
              this.pauseName,
              "--network",
              "none",
              "--hostname",
              hostname,
              "--init",
              "--pull",
              "never",
            ].concat([
              "--label",
              label,
              "--label",
              owner,
              "--label",
              dirLabel,
              this.opts.pauseImage ?? "localhost/tektite/busybox:latest",
              "sleep",
              "2147483647",
            ]),
            signal,
          );
    if (r.code !== 0 || signal.aborted) {
      await this.destroy();
      throw new Error(
        `cannot create pod ${this.podName}: ${signal.aborted ? "aborted" : cliErrorMessage(r.stderr)}`,
      );
    }
    for (const plan of this.plan.sidecars) this.sidecars.push(this.startSidecar(plan));
  }

  private startSidecar(plan: SidecarPlan): SidecarRun {
    const entry: SidecarRun = { plan, ready: Promise.resolve() };
    const signal = this.podAbort.signal;
    entry.ready = (async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const p = await this.prepare(attempt === 0 ? plan : this.withWorkdirMount(plan), signal);
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
    const p = await this.prepare(step, signal);
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
      const o = await start(p).done;
      if (!this.needsWorkdirMount(step, o) || signal.aborted) return o;
      const again = await this.prepare(this.withWorkdirMount(step), signal);
      return "args" in again ? await start(again).done : again;
    } finally {
      forgetExecTarget(this.plan.dir, step.name);
    }
  }

  /**
   * podman (4.x CLI) refuses a `--workdir` missing from the image, which Kubernetes runtimes
   * create: run again with an empty directory mounted there (nothing of the image is hidden,
   * since the path does not exist in it).
   */
  private needsWorkdirMount(plan: ContainerPlan, o: ContainerOutcome): boolean {
    return (
      o.ended === "startFailed" &&
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
    if (this.opts.engine === "podman") {
      await this.cli.exec(["pod", "rm", "--force", "--time", "0", this.podName]);
      if (this.outsidePod.size > 0) await this.cli.remove([...this.outsidePod]);
    } else {
      await this.cli.remove([...this.names]);
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

  /** Everything before `run`: image, argv, security checks, CLI arguments; or why it cannot start. */
  private async prepare(plan: ContainerPlan, signal: AbortSignal): Promise<Prepared | ContainerOutcome> {
    const at = new Date();
    const fail = (ended: "startFailed" | "imagePullFailed", message: string): ContainerOutcome => ({
      ended,
      exitCode: 1,
      startedAt: at,
      finishedAt: new Date(),
      message,
    });
    const image = mapImage(plan.image, this.opts.imageMap ?? []);
    const pullError = await this.ensureImage(image, signal);
    const config = pullError === undefined ? await this.inspect(image, signal) : undefined;
    if (config === undefined) return fail("imagePullFailed", pullError ?? `image "${image}" not found`);
    const step = plan as StepPlan;
    let argv = resolveArgv(plan.command, plan.args, config);
    if (needsWrapper(step.breakpoints)) {
      if (this.opts.busybox === undefined)
        return fail("startFailed", "debug breakpoints need a static busybox on the host");
      const wrapper = writeBreakpointWrapper(this.plan.dir);
      plan = { ...plan, mounts: [...plan.mounts, ...breakpointMounts(this.opts.busybox, wrapper)] };
      argv = wrapForBreakpoints(argv, step.breakpoints, {
        busybox: BreakpointPath.Busybox,
        wrapper: BreakpointPath.Wrapper,
      });
    }
    const sec = effectiveSecurity(plan.securityContext, this.plan.podSecurityContext);
    const violation = nonRootViolation(sec.runAsNonRoot, sec.runAsUser, config.user);
    if (violation !== undefined) return fail("startFailed", violation);
    let name = sanitize(`${this.podName}-${plan.name}`);
    for (let i = 1; this.names.has(name); i++) name = sanitize(`${this.podName}-${plan.name}-${i}`);
    this.names.add(name);
    if (step.hermetic === true) this.outsidePod.add(name);
    try {
      const args = runArgs(plan, {
        engine: this.opts.engine,
        name,
        // A hermetic step stays out of the pod's network namespace: it has none at all.
        podArgs:
          step.hermetic === true
            ? ["--network", "none"]
            : this.opts.engine === "podman"
              ? ["--pod", this.podName]
              : ["--network", `container:${this.pauseName}`],
        image,
        argv,
        init: this.opts.init ?? false,
        ...(this.plan.podSecurityContext ? { podSecurityContext: this.plan.podSecurityContext } : {}),
        imageUser: config.user,
        labels: {
          [POD_LABEL]: this.podName,
          [TEKTON_POD_LABEL]: tektonPodValue(this.plan.namespace, this.plan.name),
          [POD_DIR_LABEL]: this.plan.dir,
        },
      });
      const memory = plan.resources?.limits?.["memory"];
      return {
        name,
        args,
        imageID: imageID(plan.image, image, config),
        memoryLimited: memory !== undefined && memoryBytes(memory) !== undefined,
      };
    } catch (err) {
      return fail("startFailed", (err as Error).message);
    }
  }

  /** Applies the pull policy; returns the failure message, or undefined when the image is there. */
  private async ensureImage(image: string, signal: AbortSignal): Promise<string | undefined> {
    const policy = this.opts.pull ?? PullPolicy.Missing;
    if (policy === PullPolicy.Missing && (await this.inspect(image, signal)) !== undefined) return undefined;
    if (policy === PullPolicy.Never) {
      return (await this.inspect(image, signal)) !== undefined
        ? undefined
        : `Container image "${image}" is not present with pull policy of Never`;
    }
    // One pull per image, however it is spelt (`python:3`, `docker.io/library/python:3`).
    const key = canonicalImage(image);
    let p = this.pulled.get(key);
    if (p === undefined) {
      p = this.cli
        .pull(image, signal)
        .then((r) =>
          r.code === 0 ? undefined : `Failed to pull image "${image}": ${cliErrorMessage(r.stderr)}`,
        );
      this.pulled.set(key, p);
    }
    return p;
  }
}

function notStarted(): ContainerOutcome {
  const at = new Date();
  return { ended: "startFailed", exitCode: 1, startedAt: at, finishedAt: at, message: "not started" };
}

/** Tekton reports the image by digest: the requested digest, else the engine's. */
function imageID(requested: string, local: string, config: ImageConfig): string {
  const req = parseImageRef(requested);
  if (req.digest !== undefined) return `${req.repository}@${req.digest}`;
  if (config.repoDigests[0] !== undefined) return config.repoDigests[0];
  const id = config.id.startsWith("sha256:") ? config.id : `sha256:${config.id}`;
  return `${parseImageRef(local).repository}@${id}`;
}
