/** Runs the real `tektite` CLI as a child process, the way a user does. */
import { succeededCondition } from "../../src/api/conditions.js";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const tektiteBin = join(repoRoot, "bin", "tektite.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
  /** The working directory (default: the test process's). */
  cwd?: string;
  /** Called once the process is spawned (e.g. to send it a signal later). */
  onSpawn?: (pid: number, output: () => string) => void;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tektiteBin, ...args], {
      env: { ...process.env, CI: "true", ...(opts.env ?? {}) },
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
    if (child.pid !== undefined) opts.onSpawn?.(child.pid, () => stdout + stderr);
  });
}

/** A scratch directory removed when the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = "tektite-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeYaml(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The object(s) printed by `-o json`: a single object or a List's items. */
export function objectsOf(stdout: string): Array<Record<string, any>> {
  const doc = JSON.parse(stdout) as Record<string, any>;
  return doc["kind"] === "List" ? (doc["items"] as Array<Record<string, any>>) : [doc];
}

export function condition(obj: Record<string, any>): { status: string; reason: string; message: string } {
  return succeededCondition(obj["status"]) as { status: string; reason: string; message: string };
}

/** What `tektite run -o json` gave: the CLI's result, its data dir and the objects it printed. */
export type RunResult = CliResult & { dataDir: string; objects: () => Array<Record<string, any>> };

/**
 * `tektite run -f <file> -o json --executor host` with the data dir `dir/data`, kept across calls
 * in the same `dir` (a cache, a second run); each call writes its input to a new file in `dir`.
 */
export async function runInDir(
  dir: string,
  yaml: string,
  extra: string[] = [],
  opts: CliOptions = {},
): Promise<RunResult> {
  const file = writeYaml(dir, `in-${Math.random().toString(36).slice(2)}.yaml`, yaml);
  const dataDir = join(dir, "data");
  const result = await runCli(
    ["run", "-f", file, "-o", "json", "--executor", "host", "--data-dir", dataDir, ...extra],
    opts,
  );
  return { ...result, dataDir, objects: () => objectsOf(result.stdout) };
}

/** {@link runInDir} in a scratch directory of its own. */
export function runTaskRuns(
  t: { after: (fn: () => void) => void },
  yaml: string,
  extra: string[] = [],
): Promise<RunResult> {
  return runInDir(tempDir(t), yaml, extra);
}
