/**
 * `--allow-host-path`, `--max-steps`, `--max-retries`: what the operator lets TaskRun authors do,
 * shared by `run`, `start` and `serve` and parsed once into the engine's {@link RunLimits}.
 */
import { InvalidArgumentError, type Command } from "commander";
import { isAbsolute } from "node:path";
import { DEFAULT_RUN_LIMITS, type RunLimits } from "../engine/taskrun/limits.js";
import { nonNegativeInt } from "./int-options.js";

export interface LimitOptions {
  allowHostPath: string[];
  maxSteps: number;
  maxRetries: number;
  maxLogBytes: number;
}

function absolutePath(value: string, previous: string[]): string[] {
  if (!isAbsolute(value)) throw new InvalidArgumentError("expected an absolute host path");
  return [...previous, value];
}

export function addLimitOptions(cmd: Command): Command {
  return cmd
    .option(
      "--allow-host-path <dir>",
      "let hostPath volumes use this host directory or anything under it (repeatable; default: none)",
      absolutePath,
      [],
    )
    .option(
      "--max-steps <n>",
      "refuse Tasks with more steps than this",
      nonNegativeInt,
      DEFAULT_RUN_LIMITS.maxSteps,
    )
    .option(
      "--max-log-bytes <n>",
      "bytes of each step's log kept on disk; older output rotates out",
      nonNegativeInt,
      DEFAULT_RUN_LIMITS.maxLogBytes,
    )
    .option(
      "--max-retries <n>",
      "refuse TaskRuns with spec.retries above this",
      nonNegativeInt,
      DEFAULT_RUN_LIMITS.maxRetries,
    );
}

export function runLimits(opts: LimitOptions): RunLimits {
  return {
    allowedHostPaths: opts.allowHostPath,
    maxSteps: opts.maxSteps,
    maxRetries: opts.maxRetries,
    maxLogBytes: opts.maxLogBytes,
  };
}
