/** Helpers of the debugging scenarios: polling for a condition, and a command on a real pseudo-terminal. */
import { spawn } from "node:child_process";

/** Polls `check` every 100 ms until it holds; fails after `timeoutMs` naming `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Terminal {
  write(text: string): void;
  /** Resolves once the output so far matches `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  output(): string;
  exited: Promise<number | null>;
  /** Ends the session if it is still running (SIGKILL to `script` and what runs on its terminal). */
  kill(): void;
}

/** Runs a shell command line on a pseudo-terminal made by util-linux `script`. */
export function onTerminal(command: string, env: NodeJS.ProcessEnv): Terminal {
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let ended = false;
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      ended = true;
      resolve(code);
    }),
  );
  return {
    write: (text) => child.stdin.write(text),
    waitFor: async (re, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(re)}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    output: () => out,
    exited,
    kill: () => {
      if (ended || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}
