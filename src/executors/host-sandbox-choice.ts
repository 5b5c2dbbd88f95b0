/**
 * Which bubblewrap a host executor sandboxes with: the host's PATH and HOME it runs under, the
 * bwrap binary it finds there, and whether that binary works here — decided the same way when the
 * check is started early ({@link probeHostSandbox}) and when the executor is built ({@link chooseBwrap}).
 */
import { findOnPath } from "./path-lookup.js";
import { SandboxMode, bwrapWorks, probeBwrap } from "./sandbox.js";

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The options the choice depends on (a subset of the host executor's). */
export interface SandboxChoiceOptions {
  /** `auto` (default) sandboxes with bwrap when it works; `bwrap` requires it; `none` never. */
  sandbox?: SandboxMode;
  /** The host's PATH and HOME, passed to containers whose env sets none (read by config/). */
  hostEnv?: { PATH?: string; HOME?: string };
  /** The bwrap binary; looked up in `hostEnv.PATH` by default. */
  bwrapPath?: string;
}

/** The host's PATH (a default one when unset) and HOME. */
export function hostEnvOf(opts: SandboxChoiceOptions): { PATH: string; HOME?: string } {
  return {
    PATH: opts.hostEnv?.PATH ?? DEFAULT_PATH,
    ...(opts.hostEnv?.HOME ? { HOME: opts.hostEnv.HOME } : {}),
  };
}

/**
 * The bwrap to sandbox with, or undefined for none.
 * @throws Error when `bwrap` mode was asked for and bwrap is missing or does not work here.
 */
export function chooseBwrap(opts: SandboxChoiceOptions): string | undefined {
  const mode = opts.sandbox ?? SandboxMode.Auto;
  if (mode === SandboxMode.None) return undefined;
  const { PATH } = hostEnvOf(opts);
  const path = bwrapPathOf(opts, PATH);
  if (path !== undefined && bwrapWorks(path, { PATH })) return path;
  if (mode === SandboxMode.Bwrap)
    throw new Error("the bwrap sandbox was requested but bwrap is missing or does not work here");
  return undefined;
}

/**
 * Starts the sandbox check {@link chooseBwrap} makes, so that it runs while the caller reads its
 * input and building the executor does not wait for it.
 */
export function probeHostSandbox(opts: SandboxChoiceOptions = {}): Promise<unknown> {
  if (opts.sandbox === SandboxMode.None) return Promise.resolve();
  const { PATH } = hostEnvOf(opts);
  const path = bwrapPathOf(opts, PATH);
  return path === undefined ? Promise.resolve() : probeBwrap(path, { PATH });
}

function bwrapPathOf(opts: SandboxChoiceOptions, pathEnv: string): string | undefined {
  return opts.bwrapPath ?? findOnPath("bwrap", pathEnv);
}
