/**
 * The git CLI as Tekton's git resolver drives it: a shallow clone without checkout, a shallow
 * fetch of the revision, a checkout of FETCH_HEAD. Errors carry Tekton's wording
 * (`git <sub> error: <stderr>: exit status <n>`).
 */
import { execFile } from "node:child_process";

export interface GitAuth {
  username: string;
  password: string;
}

/** Runs `git -C dir <args>`; resolves with stdout, rejects with Tekton's error text. */
export function runGit(
  dir: string,
  args: string[],
  opts: { signal: AbortSignal; env: NodeJS.ProcessEnv; auth?: GitAuth },
): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...opts.env, GIT_TERMINAL_PROMPT: "false" };
  const configArgs = ["-C", dir];
  if (opts.auth !== undefined && opts.auth.username !== "" && opts.auth.password !== "") {
    const token = Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString("base64url");
    env["GIT_AUTH_HEADER"] = `Authorization: Basic ${token}`;
    configArgs.push("--config-env", "http.extraHeader=GIT_AUTH_HEADER");
  }
  const sub = args[0] ?? "";
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...configArgs, ...args],
      { env, signal: opts.signal, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        if (opts.signal.aborted) return reject(opts.signal.reason);
        const code = typeof err.code === "number" ? err.code : 1;
        reject(new Error(`git ${sub} error: ${stderr.trim()}: exit status ${code}`));
      },
    );
  });
}
