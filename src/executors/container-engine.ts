/**
 * A thin wrapper over the podman / docker CLI: run a command and collect its output, look up
 * images and containers, kill and remove. Every call takes an AbortSignal that kills the CLI.
 */
import { tmpdir } from "node:os";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { EngineName } from "./container-args.js";
import { imageConfigFromInspect, type ImageConfig } from "./entrypoint-lookup.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What `container inspect` tells about a container that ended (or never started). */
export interface ContainerState {
  status: string;
  exitCode: number;
  oomKilled: boolean;
  error: string;
}

export interface EngineCliOptions {
  /** The CLI binary; defaults to the engine's name (looked up in PATH). */
  binary?: string;
  /** Environment of the CLI (e.g. DOCKER_HOST); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
}

/** The podman or docker command line. */
export class EngineCli {
  readonly binary: string;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(
    readonly engine: EngineName,
    opts: EngineCliOptions = {},
  ) {
    this.binary = opts.binary ?? engine;
    this.env = opts.env;
  }

  /** Starts the CLI with piped stdio; the caller consumes the streams. */
  spawn(args: string[]): ChildProcessWithoutNullStreams {
    // conmon records an OOM kill as a file named `oom` in its working directory: keep it out of the user's.
    return spawn(this.binary, args, {
      cwd: tmpdir(),
      env: this.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  /** Runs the CLI to its end and collects its output. Never rejects: a spawn error is code 127. */
  exec(args: string[], signal?: AbortSignal): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = this.spawn(args);
      child.stdin.end();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => out.push(c));
      child.stderr.on("data", (c: Buffer) => err.push(c));
      const onAbort = (): void => void child.kill("SIGKILL");
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted === true) onAbort();
      let spawnError = "";
      child.on("error", (e) => (spawnError = e.message));
      child.on("close", (code) => {
        signal?.removeEventListener("abort", onAbort);
        const stderr = Buffer.concat(err).toString("utf8") + spawnError;
        resolve({
          code: code ?? (spawnError !== "" ? 127 : 137),
          stdout: Buffer.concat(out).toString("utf8"),
          stderr,
        });
      });
    });
  }

  /** The image's config, or undefined when the engine does not have the image. */
  async inspectImage(ref: string, signal?: AbortSignal): Promise<ImageConfig | undefined> {
    const r = await this.exec(["image", "inspect", ref], signal);
    if (r.code !== 0) return undefined;
    return imageConfigFromInspect(JSON.parse(r.stdout) as unknown);
  }

  /** Pulls an image; the result carries the engine's message on failure. */
  pull(ref: string, signal?: AbortSignal): Promise<CliResult> {
    return this.exec(["pull", ref], signal);
  }

  /** The state of a container, or undefined when it does not exist. */
  async containerState(name: string, signal?: AbortSignal): Promise<ContainerState | undefined> {
    const r = await this.exec(["container", "inspect", "--format", "{{json .State}}", name], signal);
    if (r.code !== 0) return undefined;
    const s = JSON.parse(r.stdout.trim()) as {
      Status?: string;
      ExitCode?: number;
      OOMKilled?: boolean;
      Error?: string;
    };
    return {
      status: s.Status ?? "",
      exitCode: s.ExitCode ?? 0,
      oomKilled: s.OOMKilled === true,
      error: s.Error ?? "",
    };
  }

  /** SIGKILLs containers at once (no stop grace period). Missing or stopped ones are ignored. */
  async kill(names: string[], signal?: AbortSignal): Promise<void> {
    if (names.length > 0) await this.exec(["kill", "--signal", "KILL", ...names], signal);
  }

  /** Force-removes containers without a stop grace period. */
  async remove(names: string[], signal?: AbortSignal): Promise<CliResult> {
    if (names.length === 0) return { code: 0, stdout: "", stderr: "" };
    // podman 4.x removes nothing, and still exits 0, when one of the names does not exist
    // (a step that never started) unless told to --ignore missing ones.
    return this.exec(
      this.engine === "podman"
        ? ["rm", "--force", "--ignore", "--time", "0", ...names]
        : ["rm", "--force", ...names],
      signal,
    );
  }
}

/** The last `Error: …` line the CLI printed, or its last non-empty line. */
export function cliErrorMessage(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const err = [...lines].reverse().find((l) => /^(Error|docker: Error)/.test(l));
  return (err ?? lines[lines.length - 1] ?? "").replace(/^(docker: )?Error( response from daemon)?: /, "");
}

/**
 * The container engine that works here: podman when `podman info` succeeds, else docker when
 * `docker version` gets an answer from its server; undefined when neither does.
 */
export async function detectContainerEngine(
  opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<EngineName | undefined> {
  const signal = opts.signal ?? AbortSignal.timeout(20_000);
  const podman = new EngineCli("podman", opts.env ? { env: opts.env } : {});
  if ((await podman.exec(["info", "--format", "{{.Host.OCIRuntime.Name}}"], signal)).code === 0)
    return "podman";
  const docker = new EngineCli("docker", opts.env ? { env: opts.env } : {});
  const v = await docker.exec(["version", "--format", "{{.Server.Version}}"], signal);
  if (v.code === 0 && v.stdout.trim() !== "") return "docker";
  return undefined;
}
