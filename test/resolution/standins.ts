/**
 * Real stand-ins for remote sources, created by the tests: git repositories (served by path,
 * file:// and `git daemon` on a loopback port), HTTP servers on 127.0.0.1, and a
 * `docker-registry` with its own storage and config.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { dirname, join } from "node:path";

type After = { after: (fn: () => void | Promise<void>) => void };

export interface GitRepo {
  dir: string;
  /** Commits `files` (path → content) on the current branch; returns the commit. */
  commit(files: Record<string, string>, message?: string): string;
  git(...args: string[]): string;
}

export function gitRepo(dir: string, branch = "main"): GitRepo {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync("git", ["-C", dir, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", branch);
  return {
    dir,
    git,
    commit(files, message = "change") {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
        git("add", path);
      }
      git("commit", "-q", "-m", message);
      return git("rev-parse", "HEAD");
    },
  };
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start`);
}

function stopOnEnd(t: After, child: ChildProcess): void {
  t.after(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
}

/** `git daemon` exporting `base` on a loopback port: `git://127.0.0.1:<port>/<repo>`. */
export async function gitDaemon(t: After, base: string): Promise<string> {
  const port = await freePort();
  const child = spawn(
    "git",
    [
      "daemon",
      "--reuseaddr",
      "--export-all",
      `--base-path=${base}`,
      "--listen=127.0.0.1",
      `--port=${port}`,
      base,
    ],
    { stdio: "ignore" },
  );
  stopOnEnd(t, child);
  await waitFor(async () => {
    try {
      execFileSync("git", ["ls-remote", `git://127.0.0.1:${port}/nonexistent`], { stdio: "ignore" });
      return true;
    } catch (err) {
      // "repository not exported" means the daemon answers.
      return (err as { status?: number }).status === 128 && child.exitCode === null && (await portOpen(port));
    }
  }, "git daemon");
  return `git://127.0.0.1:${port}`;
}

async function portOpen(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1", () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 (ephemeral port); returns its base URL and the requests it saw. */
export async function httpServer(t: After, handler: Handler): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

export const REGISTRY_BIN = "/usr/bin/docker-registry";

/**
 * Debian's `docker-registry` on a loopback port with its own storage dir and config file;
 * with `htpasswd` (a bcrypt line) it requires basic auth.
 */
export async function ociRegistry(t: After, dir: string, htpasswd?: string): Promise<string> {
  if (!existsSync(REGISTRY_BIN))
    throw new Error(`${REGISTRY_BIN} is not installed (the docker-registry package)`);
  const port = await freePort();
  mkdirSync(join(dir, "storage"), { recursive: true });
  let auth = "";
  if (htpasswd !== undefined) {
    writeFileSync(join(dir, "htpasswd"), `${htpasswd}\n`);
    auth = `auth:\n  htpasswd:\n    realm: tektite-test\n    path: ${join(dir, "htpasswd")}\n`;
  }
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "storage")}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child = spawn(REGISTRY_BIN, ["serve", config], { stdio: "ignore" });
  stopOnEnd(t, child);
  const base = `127.0.0.1:${port}`;
  await waitFor(async () => {
    try {
      const res = await fetch(`http://${base}/v2/`);
      return res.status === 200 || res.status === 401;
    } catch {
      return false;
    }
  }, "docker-registry");
  return base;
}
