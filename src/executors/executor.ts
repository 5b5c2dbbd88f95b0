/**
 * The contract between the TaskRun engine and a runtime (host processes, podman, docker).
 *
 * The engine decides everything Tekton decides: the order of steps, skipping, onError, results,
 * the files under the attempt's directory. An executor only starts containers (or processes) the
 * engine describes, with the mounts it lists, and reports what happened as data.
 * One `PodHandle` is one TaskRun attempt (Tekton's pod).
 */
import type { Probe, ResourceRequirements, SecurityContext } from "../api/types.js";

export const ExecutorKind = { Host: "host", Podman: "podman", Docker: "docker" } as const;
export type ExecutorKind = (typeof ExecutorKind)[keyof typeof ExecutorKind];

/** A host file or directory made visible inside a container at `containerPath`. */
export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/**
 * A step's `stdoutConfig`/`stderrConfig` file: `path` (relative, `/`-separated) inside `root`, the
 * host directory of the writable volume the container path lies in. Executors open it without
 * following links out of `root` (contained-write.ts).
 */
export interface OutputFile {
  root: string;
  path: string;
  /** The path as the step names it, and the field, for messages. */
  containerPath: string;
  field: "stdoutConfig.path" | "stderrConfig.path";
}

export interface EnvEntry {
  name: string;
  value: string;
}

export type LogStream = "stdout" | "stderr";

/** Receives a container's output as it is produced (in addition to its log file). */
export type LogListener = (container: string, stream: LogStream, chunk: Buffer) => void;

export interface ContainerPlan {
  /** Container name as Tekton names it: `step-<name>`, `step-unnamed-<i>`, `sidecar-<name>`. */
  name: string;
  image: string;
  imagePullPolicy?: string;
  /**
   * The argv to run. When `command` is absent the image's ENTRYPOINT/CMD rules apply
   * (docs/tekton-semantics.md#step-command: ENTRYPOINT+args, or CMD+args when there is no ENTRYPOINT); the host executor,
   * which has no image, runs `args` as the argv.
   */
  command?: string[];
  args: string[];
  env: EnvEntry[];
  workingDir?: string;
  mounts: Mount[];
  securityContext?: SecurityContext;
  resources?: ResourceRequirements;
  /** Host file that receives stdout and stderr (appended). */
  logPath: string;
  /** Bound on the bytes of `logPath` kept (older output rotates out, as kubelet does); none when absent. */
  logMaxBytes?: number;
  /**
   * Host directory with the credentials creds-init puts in the step's home (`.ssh/`, `.gitconfig`,
   * `.docker/`…). Executors make its entries appear in the container's `$HOME`.
   */
  credsHome?: string;
  /** Files that also receive stdout / stderr (stdoutConfig / stderrConfig). */
  stdoutFile?: OutputFile;
  stderrFile?: OutputFile;
}

export interface StepPlan extends ContainerPlan {
  /** Step `timeout`, in milliseconds; absent or 0 means none. */
  timeoutMs?: number;
  /** Tekton's debug breakpoints for this step (`spec.debug`, see breakpoint.ts). */
  breakpoints?: StepBreakpoints;
  /** Hermetic execution: the step gets no network (its own empty network namespace). */
  hermetic?: boolean;
}

/** The breakpoints of one step, with its paths as the container sees them. */
export interface StepBreakpoints {
  /** `onFailure: enabled`: halt after the command fails. */
  onFailure: boolean;
  /** The step is listed in `beforeSteps`: wait before running it. */
  beforeStep: boolean;
  /** The step's `/tekton/run/<i>`. */
  runDir: string;
  /** `/tekton/debug/scripts`, named in the messages. */
  scriptsDir: string;
}

export interface SidecarPlan extends ContainerPlan {
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

/** How a container ended. `exited` means it ran and exited by itself with `exitCode`. */
export const EndReason = {
  Exited: "exited",
  /** The step's own `timeout` elapsed and it was killed. */
  StepTimeout: "stepTimeout",
  /** The attempt's AbortSignal fired (cancel or TaskRun timeout) and it was killed. */
  Aborted: "aborted",
  OOMKilled: "oomKilled",
  /**
   * The command could not be executed (not found, not executable…): what Tekton's entrypoint
   * reports as `Error executing command: …`, exit code 1.
   */
  StartFailed: "startFailed",
  /**
   * The runtime refused to start the container (a memory limit too small for it, a cgroup or
   * mount error): Kubernetes' `StartError`, exit code 128, with the runtime's message.
   */
  StartError: "startError",
  ImagePullFailed: "imagePullFailed",
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export interface ContainerOutcome {
  ended: EndReason;
  exitCode: number;
  startedAt: Date;
  finishedAt: Date;
  /** Human-readable detail for startFailed / startError / imagePullFailed. */
  message?: string;
  imageID?: string;
}

export interface SidecarOutcome extends ContainerOutcome {
  name: string;
  /** True when the sidecar had already ended by itself before it was stopped. */
  exitedBeforeStop: boolean;
}

export interface PodPlan {
  /** Tekton pod name: `<taskrun>-pod`, `<taskrun>-pod-retry<N>`. */
  name: string;
  namespace: string;
  /** Host directory owned by this attempt (the engine lays out Tekton's directories under it). */
  dir: string;
  sidecars: SidecarPlan[];
  /** podTemplate.securityContext and friends, for container executors. */
  podSecurityContext?: Record<string, unknown>;
  onLog?: LogListener;
}

export interface PodHandle {
  /**
   * Resolves when every sidecar is ready: its readiness probe passed, or it has started and has no
   * probe, or it has exited (docs/tekton-semantics.md#sidecars). Rejects with the abort reason if `signal` fires first.
   */
  sidecarsReady(signal: AbortSignal): Promise<void>;
  /** Runs one step to its end. Never throws for the step's own failures: they are in the outcome. */
  runStep(step: StepPlan, signal: AbortSignal): Promise<ContainerOutcome>;
  /** Stops the sidecars and reports how each ended. */
  stopSidecars(): Promise<SidecarOutcome[]>;
  /** Removes everything the attempt created in the runtime (containers, pods). Idempotent. */
  destroy(): Promise<void>;
}

export interface Executor {
  readonly kind: ExecutorKind;
  /**
   * True when containers see Tekton's paths (`/workspace`, `/tekton/...`, mountPaths) at their
   * real places. When false (host executor without a sandbox) the engine substitutes the host
   * directories for Tekton's path variables instead.
   */
  readonly virtualPaths: boolean;
  startPod(plan: PodPlan, signal: AbortSignal): Promise<PodHandle>;
  /**
   * Removes whatever an attempt (`namespace`/`podName`, host directory `dir`) left running in the
   * runtime after the process that ran it died. Absent where nothing can outlive that process.
   */
  releasePod?(namespace: string, podName: string, dir: string): Promise<void>;
  /**
   * Finds the attempt `plan` describes still running in the runtime after the process that ran
   * it died, and adopts it (its sidecars included). Undefined when there is nothing to adopt.
   */
  resumePod?(plan: PodPlan, signal: AbortSignal): Promise<ResumedPod | undefined>;
}

/** An attempt adopted after a restart: its running step is attached to, later steps run as usual. */
export interface ResumedPod extends PodHandle {
  /** Waits for the step container an earlier process started; its remaining output is logged. */
  attachStep(step: StepPlan, signal: AbortSignal): Promise<ContainerOutcome>;
}
