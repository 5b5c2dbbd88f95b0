/**
 * Shared by the container executor tests: is a usable engine (with tektite's stand-in images)
 * here, temporary attempt directories, plans, and a check that nothing was left behind.
 */
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineCli } from "./container-engine.js";
import type { PodPlan, StepPlan, LogStream } from "./executor.js";

export const BUSYBOX = "localhost/tektite/busybox:latest";
export const DEBIAN = "localhost/tektite/debian:bookworm";

/**
 * Why the container tests cannot run here, or undefined when they can. Under CI the tests must
 * not be skipped: callers fail instead (scripts/ci-containers.sh prepares the machine).
 */
export async function containerTestsUnavailable(): Promise<string | undefined> {
  const podman = new EngineCli("podman");
  const info = await podman.exec(
    ["info", "--format", "{{.Host.OCIRuntime.Name}}"],
    AbortSignal.timeout(30_000),
  );
  if (info.code !== 0)
    return `no working podman (${info.stderr.trim().split("\n").pop() ?? ""}); run scripts/ci-containers.sh`;
  for (const image of [BUSYBOX, DEBIAN]) {
    if ((await podman.inspectImage(image)) === undefined)
      return `stand-in image ${image} is missing; run scripts/ci-containers.sh`;
  }
  return undefined;
}

/** The skip option for node:test, throwing under CI where skipping is not allowed. */
export async function skipUnlessEngine(): Promise<string | false> {
  const why = await containerTestsUnavailable();
  if (why === undefined) return false;
  if (process.env["CI"] === "true") throw new Error(`container tests cannot run under CI: ${why}`);
  return why;
}

/** A fresh attempt directory and helpers to build plans in it. */
export class Attempt {
  readonly dir = mkdtempSync(join(tmpdir(), "tektite-ctr-"));
  readonly logs: { container: string; stream: LogStream; text: string }[] = [];

  constructor(readonly namespace: string) {}

  pod(name: string, extra: Partial<PodPlan> = {}): PodPlan {
    return {
      name,
      namespace: this.namespace,
      dir: this.dir,
      sidecars: [],
      onLog: (container, stream, chunk) =>
        this.logs.push({ container, stream, text: chunk.toString("utf8") }),
      ...extra,
    };
  }

  step(name: string, image: string, extra: Partial<StepPlan> = {}): StepPlan {
    return {
      name,
      image,
      args: [],
      env: [],
      mounts: [],
      logPath: join(this.dir, "logs", `${name}.log`),
      ...extra,
    };
  }

  /** A host directory under the attempt, created. */
  mkdir(name: string): string {
    const p = join(this.dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  }

  log(name: string): string {
    return readFileSync(join(this.dir, "logs", `${name}.log`), "utf8");
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Names of the containers and pods of `namespace` that still exist in the engine. */
export async function leftovers(cli: EngineCli, namespace: string): Promise<string[]> {
  const prefix = `tektite-${namespace}-`;
  const ps = await cli.exec(["ps", "--all", "--format", "{{.Names}}"]);
  const names = ps.stdout.split("\n").filter((n) => n.startsWith(prefix));
  if (cli.engine === "podman") {
    const pods = await cli.exec(["pod", "ps", "--format", "{{.Name}}"]);
    names.push(...pods.stdout.split("\n").filter((n) => n.startsWith(prefix)));
  }
  return names;
}
