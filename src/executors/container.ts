/**
 * The container executor: runs each TaskRun attempt as podman or docker containers (see
 * `container-pod.ts` for how an attempt maps onto the engine).
 *
 * - Images go through the image map, then the pull policy (`never`, `missing`, `always`); a
 *   missing image ends the container with `imagePullFailed`.
 * - Without `command`, the image config decides what runs (docs/tekton-semantics.md#step-command), passed as an explicit
 *   entrypoint; the config is cached per image for the life of the executor.
 * - Timeout and abort SIGKILL the container at once (no stop grace). A SIGKILL we did not send to
 *   a container with a memory limit is reported as `oomKilled` (cgroup v1 hosts do not always
 *   record OOMKilled).
 */
import type { Executor, PodHandle, PodPlan, ResumedPod } from "./executor.js";
import { ExecutorKind } from "./executor.js";
import { EngineCli } from "./container-engine.js";
import { POD_LABEL, attemptFilter } from "./container-labels.js";
import type { ContainerExecutorOptions } from "./container-options.js";
import { ContainerPod, type Remains } from "./container-pod.js";
import type { ImageConfig } from "./entrypoint-lookup.js";

export { detectContainerEngine } from "./container-engine.js";
export { POD_DIR_LABEL, POD_LABEL, TEKTON_POD_LABEL } from "./container-labels.js";
export { PullPolicy, type ContainerExecutorOptions } from "./container-options.js";

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
    const remains = await this.remains(plan, signal);
    if (remains === undefined) return undefined;
    const pod = new ContainerPod(plan, this.cli, this.opts, (ref, s) => this.inspectCached(ref, s), remains);
    pod.adoptSidecars();
    return pod;
  }

  /** The engine pod, or else the stand-alone containers, an earlier process left of an attempt. */
  private async remains(plan: PodPlan, signal: AbortSignal): Promise<Remains | undefined> {
    const filter = attemptFilter(plan.namespace, plan.name, plan.dir);
    const pods = await this.cli.exec(["pod", "ps", ...filter, "--format", "{{.Name}}"], signal);
    const pod = pods.stdout.split("\n").filter(Boolean)[0];
    if (pods.code !== 0) return undefined;
    if (pod !== undefined) return { enginePod: pod, inPod: true, containers: [] };
    const format = `{{.Names}} {{index .Labels "${POD_LABEL}"}}`;
    const ps = await this.cli.exec(["ps", "-a", ...filter, "--format", format], signal);
    const rows = ps.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" "));
    const enginePod = rows[0]?.[1];
    if (ps.code !== 0 || enginePod === undefined) return undefined;
    return { enginePod, inPod: false, containers: rows.map((r) => r[0]!) };
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
