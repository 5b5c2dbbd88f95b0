/** Options of the container executor. */
import type { EngineName } from "./container-args.js";
import type { EngineCliOptions } from "./container-engine.js";
import type { ImageMap } from "./image-map.js";

/** When images are pulled: never (offline), when missing, or before every pod. */
export const PullPolicy = { Never: "never", Missing: "missing", Always: "always" } as const;
export type PullPolicy = (typeof PullPolicy)[keyof typeof PullPolicy];

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
  /**
   * Run the steps of an attempt without a pod with `--rm`, as a bare `podman run --rm` does, instead
   * of keeping their containers until the attempt ends: the exit code then comes from the attached
   * CLI, not from inspecting the container. For one-shot runs only: a restarted server adopts an
   * attempt from the containers it finds, ended ones included.
   */
  removeEndedSteps?: boolean;
}
