/**
 * Everything before a container's `run`: the image (image map, pull policy, config), the argv,
 * the breakpoint wrapper, the non-root check and the CLI arguments; or the outcome saying why
 * it cannot start.
 */
import type { ContainerOutcome, ContainerPlan, PodPlan, StepPlan } from "./executor.js";
import {
  BreakpointPath,
  breakpointMounts,
  needsWrapper,
  wrapForBreakpoints,
  writeBreakpointWrapper,
} from "./breakpoint.js";
import { effectiveSecurity, runArgs } from "./container-args.js";
import { cliErrorMessage, type EngineCli } from "./container-engine.js";
import { attemptLabels, sanitize } from "./container-labels.js";
import { PullPolicy, type ContainerExecutorOptions } from "./container-options.js";
import { nonRootViolation, resolveArgv, type ImageConfig } from "./entrypoint-lookup.js";
import { mapImage } from "./image-map.js";
import { canonicalImage, parseImageRef, requestedImageID } from "./image-ref.js";
import { memoryBytes } from "./quantity.js";

/** The image config, or undefined when the engine does not have the image (cached by the executor). */
export type Inspect = (ref: string, signal: AbortSignal) => Promise<ImageConfig | undefined>;

/** A container ready to `run`. */
export interface Prepared {
  name: string;
  args: string[];
  imageID: string;
  memoryLimited: boolean;
  /** Run with `--rm`: gone once the CLI exits. */
  removeOnExit: boolean;
}

/** Prepares the containers of one attempt and remembers the names it gave them. */
export class ContainerPreparer {
  /** Every container name handed out (they stay unique within the attempt). */
  readonly names = new Set<string>();
  /** Those outside the engine pod (hermetic steps): removing the pod does not remove them. */
  readonly outsidePod = new Set<string>();
  private readonly pulled = new Map<string, Promise<string | undefined>>();

  /**
   * @param joinArgs - how a (non-hermetic) container joins the attempt: `--pod <p>`,
   *   `--network container:<pause>`, or namespaces of its own when the attempt has no pod.
   */
  constructor(
    private readonly cli: EngineCli,
    private readonly opts: ContainerExecutorOptions,
    private readonly pod: PodPlan,
    private readonly enginePod: string,
    private readonly joinArgs: string[],
    private readonly inspect: Inspect,
    /** Containers run with `--rm` (see `removeEndedSteps`; only attempts without a pod, so no sidecars). */
    private readonly removeSteps = false,
  ) {}

  /** The engine name of a container of the attempt (the one an earlier process gave it, too). */
  nameOf(planName: string): string {
    return sanitize(`${this.enginePod}-${planName}`);
  }

  async prepare(plan: ContainerPlan, signal: AbortSignal): Promise<Prepared | ContainerOutcome> {
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
      const wrapper = writeBreakpointWrapper(this.pod.dir);
      plan = { ...plan, mounts: [...plan.mounts, ...breakpointMounts(this.opts.busybox, wrapper)] };
      argv = wrapForBreakpoints(argv, step.breakpoints, {
        busybox: BreakpointPath.Busybox,
        wrapper: BreakpointPath.Wrapper,
      });
    }
    const sec = effectiveSecurity(plan.securityContext, this.pod.podSecurityContext);
    const violation = nonRootViolation(sec.runAsNonRoot, sec.runAsUser, config.user);
    if (violation !== undefined) return fail("startFailed", violation);
    let name = this.nameOf(plan.name);
    for (let i = 1; this.names.has(name); i++) name = this.nameOf(`${plan.name}-${i}`);
    this.names.add(name);
    if (step.hermetic === true) this.outsidePod.add(name);
    const removeOnExit = this.removeSteps;
    try {
      const args = runArgs(plan, {
        removeOnExit,
        engine: this.opts.engine,
        name,
        // A hermetic step stays out of the pod's network namespace: it has none at all.
        podArgs: step.hermetic === true ? ["--network", "none"] : this.joinArgs,
        image,
        argv,
        init: this.opts.init ?? false,
        ...(this.pod.podSecurityContext ? { podSecurityContext: this.pod.podSecurityContext } : {}),
        imageUser: config.user,
        labels: attemptLabels(this.enginePod, this.pod.namespace, this.pod.name, this.pod.dir),
      });
      const memory = plan.resources?.limits?.["memory"];
      return {
        name,
        args,
        imageID: imageID(plan.image, image, config),
        memoryLimited: memory !== undefined && memoryBytes(memory) !== undefined,
        removeOnExit,
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

/** Tekton reports the image by digest: the requested digest, else the engine's. */
function imageID(requested: string, local: string, config: ImageConfig): string {
  if (parseImageRef(requested).digest !== undefined) return requestedImageID(requested);
  if (config.repoDigests[0] !== undefined) return config.repoDigests[0];
  const id = config.id.startsWith("sha256:") ? config.id : `sha256:${config.id}`;
  return `${parseImageRef(local).repository}@${id}`;
}
