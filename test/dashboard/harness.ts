/**
 * Browser-test harness: a real `tektite serve` (child process, host executor, loopback port 0)
 * and Debian's Chromium driven by playwright-core (headless, fresh profile, no network besides
 * the server). Screenshots go to `test-artifacts/dashboard/`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { repoRoot, tektiteBin } from "../helpers/cli.js";

/** Debian's Chromium (installed by `.ci/run`). */
export const CHROMIUM = "/usr/bin/chromium";
/** Where screenshots are kept (gitignored). */
export const ARTIFACTS = join(repoRoot, "test-artifacts", "dashboard");

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running `tektite serve`. */
export interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  certificate: string;
  dataDir: string;
  /** A JSON request to the API (throws on an error status). */
  api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** Starts `tektite serve` on `dataDir` (created when omitted), on `port` (default: any free one). */
export async function serve(
  dataDir = mkdtempSync(join(tmpdir(), "tektite-ui-")),
  port = 0,
  extraArgs: string[] = [],
): Promise<Served> {
  const child = spawn(
    process.execPath,
    [tektiteBin, "serve", "--data-dir", dataDir, "--port", String(port), "--executor", "host", ...extraArgs],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: dataDir },
    },
  );
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on("close", (code) => reject(new Error(`serve exited with ${String(code)}: ${out}${err}`)));
  });
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const certificate = readFileSync(join(dataDir, "tls", "server.crt"), "utf8");
  const api = <T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, url),
        {
          method,
          ca: certificate,
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { "content-type": contentType } : {}),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => {
            if ((res.statusCode ?? 500) >= 400)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            else resolve((text === "" ? undefined : JSON.parse(text)) as T);
          });
        },
      );
      req.on("error", reject);
      req.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
    });
  return {
    child,
    url,
    token,
    certificate,
    dataDir,
    api,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("close", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A headless Chromium with a fresh profile. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches Chromium (fresh `--user-data-dir`), trusting the server's self-signed certificate. */
export async function launch(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "tektite-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ignoreHTTPSErrors: true,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and logs in with the token through the login form. */
export async function logIn(page: Page, served: Served): Promise<void> {
  await page.goto(`${served.url}/`);
  await page.getByLabel("Token").fill(served.token);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("navigation", { name: "Kinds" }).waitFor();
}

/** Saves a screenshot of the page as a test artefact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Creates an object from YAML-free JSON through the API, in namespace default. */
export async function create<T>(served: Served, plural: string, body: unknown, version = "v1"): Promise<T> {
  return served.api<T>("POST", `/apis/tekton.dev/${version}/namespaces/default/${plural}`, body);
}
