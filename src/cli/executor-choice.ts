/**
 * `--executor host|podman|docker|auto`: builds the executor the user asked for. `auto` picks a
 * working container engine when there is one, else the host executor.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import type { Executor } from "../executors/executor.js";
import { HostExecutor, type HostExecutorOptions } from "../executors/host.js";
import { probeHostSandbox } from "../executors/host-sandbox-choice.js";
import { SandboxMode } from "../executors/sandbox.js";
import { UserInputError } from "./errors.js";

export const ExecutorChoice = { Host: "host", Podman: "podman", Docker: "docker", Auto: "auto" } as const;
export type ExecutorChoice = (typeof ExecutorChoice)[keyof typeof ExecutorChoice];

export interface ExecutorOptions {
  executor: ExecutorChoice;
  sandbox: SandboxMode;
  pull?: string;
  imageMap?: string[];
  imageMapFile?: string;
}

export function addExecutorOptions(
  cmd: Command,
  defaultExecutor: ExecutorChoice = ExecutorChoice.Auto,
): Command {
  return cmd
    .addOption(
      new Option("--executor <kind>", "where steps run")
        .choices(Object.values(ExecutorChoice))
        .default(defaultExecutor),
    )
    .addOption(
      new Option("--sandbox <mode>", "host executor: bubblewrap mount namespace for Tekton's paths")
        .choices(Object.values(SandboxMode))
        .default(SandboxMode.Auto),
    )
    .addOption(
      new Option("--pull <policy>", "container executors: image pull policy").choices([
        "never",
        "missing",
        "always",
      ]),
    )
    .option(
      "--image-map <from=to>",
      "container executors: run image FROM as TO (glob, repeatable)",
      collectMapping,
      [],
    )
    .option("--image-map-file <file>", "container executors: YAML file of image mappings");
}

function collectMapping(value: string, previous: string[]): string[] {
  if (!value.includes("=")) throw new InvalidArgumentError("expected FROM=TO");
  return [...previous, value];
}

/** The container executor module is loaded only when asked for, keeping host start-up fast. */
async function containerExecutor(
  kind: "podman" | "docker" | "auto",
  opts: ExecutorOptions,
  oneShot: boolean,
): Promise<Executor | undefined> {
  const mod = await import("../executors/container-factory.js");
  return mod.createContainerExecutor(kind, {
    ...(oneShot ? { removeEndedSteps: true } : {}),
    ...(opts.pull ? { pull: opts.pull } : {}),
    imageMap: opts.imageMap ?? [],
    ...(opts.imageMapFile ? { imageMapFile: opts.imageMapFile } : {}),
  });
}

/**
 * Starts the host executor's sandbox check for `--executor host`, so that it runs while the input
 * is read; {@link createExecutor} then finds its answer.
 */
export function warmExecutor(opts: ExecutorOptions, hostEnv: { PATH?: string; HOME?: string }): void {
  if (opts.executor === ExecutorChoice.Host) void probeHostSandbox({ sandbox: opts.sandbox, hostEnv });
}

/**
 * The executor the options ask for. `hiddenPaths` (the data directory, holding the API token and
 * the database) are kept out of sandboxed containers' view. `oneShot`: the process runs its input
 * to the end and exits (`run`, `start`), so no later process adopts its attempts.
 */
export async function createExecutor(
  opts: ExecutorOptions,
  hostEnv: { PATH?: string; HOME?: string },
  hiddenPaths: readonly string[],
  oneShot = false,
): Promise<Executor> {
  const host = async (): Promise<Executor> => {
    const hostOpts: HostExecutorOptions = { sandbox: opts.sandbox, hostEnv, hiddenPaths };
    await probeHostSandbox(hostOpts);
    try {
      return new HostExecutor(hostOpts);
    } catch (err) {
      throw new UserInputError(err instanceof Error ? err.message : String(err));
    }
  };
  switch (opts.executor) {
    case ExecutorChoice.Host:
      return host();
    case ExecutorChoice.Auto:
      return (await containerExecutor("auto", opts, oneShot)) ?? host();
    case ExecutorChoice.Podman:
    case ExecutorChoice.Docker: {
      const ex = await containerExecutor(opts.executor, opts, oneShot);
      if (ex === undefined) throw new UserInputError(`no working ${opts.executor} engine found`);
      return ex;
    }
  }
}
