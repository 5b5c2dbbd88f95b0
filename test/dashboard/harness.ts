/**
 * Browser-test harness: a real `tektite serve` (`test/helpers/serve.ts`: host executor, loopback)
 * and Debian's Chromium driven by playwright-core (headless, fresh profile, no network besides
 * the server). Screenshots go to `test-artifacts/dashboard/`.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { repoRoot } from "../helpers/cli.js";
import { serve as startServe, type Served } from "../helpers/serve.js";

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

export type { Served } from "../helpers/serve.js";

/** Starts `tektite serve` on `dataDir` (created when omitted), on `port` (default: any free one). */
export function serve(
  dataDir = mkdtempSync(join(tmpdir(), "tektite-ui-")),
  port = 0,
  extraArgs: string[] = [],
): Promise<Served> {
  return startServe({ dataDir, port, args: extraArgs });
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
