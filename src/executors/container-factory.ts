/**
 * Building a container executor from command-line choices: which engine works here, the pull
 * policy, and the image map (the flags' entries first, then the map file's).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EngineName } from "./container-args.js";
import { EngineCli, detectContainerEngine } from "./container-engine.js";
import { ContainerExecutor, PullPolicy } from "./container.js";
import { parseImageMapArg, parseImageMapFile } from "./image-map.js";
import { findOnPath } from "./path-lookup.js";

/** The image map shipped with tektite: Tekton's example images → offline stand-ins. */
export const DEFAULT_IMAGE_MAP_FILE = fileURLToPath(
  new URL("../../../images/image-map.yaml", import.meta.url),
);

/** Options of {@link createContainerExecutor}, as the command line gives them. */
export interface ContainerExecutorChoice {
  pull?: string;
  /** `FROM=TO` values, tried before the file's. */
  imageMap?: string[];
  /** Image-map file; default {@link DEFAULT_IMAGE_MAP_FILE}. */
  imageMapFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Remove each ended step container at once (one-shot runs; see container-options.ts). */
  removeEndedSteps?: boolean;
}

/**
 * Builds a container executor for `kind` ("auto": podman, else docker) when that engine works
 * here; undefined when none does. Throws on an invalid pull policy or image map.
 */
export async function createContainerExecutor(
  kind: EngineName | "auto",
  choice: ContainerExecutorChoice = {},
): Promise<ContainerExecutor | undefined> {
  const pull = choice.pull ?? PullPolicy.Missing;
  if (!(Object.values(PullPolicy) as string[]).includes(pull))
    throw new Error(`invalid pull policy "${pull}"`);
  const engine =
    kind === "auto"
      ? await detectContainerEngine(choice.env ? { env: choice.env } : {})
      : (await engineWorks(kind, choice.env))
        ? kind
        : undefined;
  if (engine === undefined) return undefined;
  const file = choice.imageMapFile ?? DEFAULT_IMAGE_MAP_FILE;
  const fromFile =
    choice.imageMapFile !== undefined || existsSync(file)
      ? parseImageMapFile(readFileSync(file, "utf8"))
      : [];
  const busybox = findOnPath("busybox", (choice.env ?? process.env)["PATH"] ?? "");
  return new ContainerExecutor({
    engine,
    ...(busybox !== undefined ? { busybox } : {}),
    pull: pull as PullPolicy,
    imageMap: [...(choice.imageMap ?? []).map(parseImageMapArg), ...fromFile],
    ...(choice.env ? { env: choice.env } : {}),
    ...(choice.removeEndedSteps === true ? { removeEndedSteps: true } : {}),
  });
}

/**
 * Whether the engine the user named can be used: podman is daemonless, so it is enough that the
 * binary is there (`podman info` would cost about one `podman run` per TaskRun, and a podman that
 * is there but broken fails the first step with its own message); docker must reach its daemon.
 */
async function engineWorks(engine: EngineName, env: NodeJS.ProcessEnv | undefined): Promise<boolean> {
  if (engine === "podman") return findOnPath("podman", (env ?? process.env)["PATH"] ?? "") !== undefined;
  const cli = new EngineCli(engine, env ? { env } : {});
  const r = await cli.exec(["version", "--format", "{{.Server.Version}}"], AbortSignal.timeout(20_000));
  return r.code === 0 && r.stdout.trim() !== "";
}
