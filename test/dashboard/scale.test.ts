/**
 * The dashboard at scale, in real Chromium against a real `tektite serve`: the TaskRun list with
 * 10,000 TaskRuns stored (first meaningful paint measured and printed, not asserted), and the log
 * view of a step that wrote 50 MB (windowed: only the rows on screen are in the page).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { ResourceTypes, openSqliteStore } from "../../src/store/index.js";
import { CHROMIUM, create, launch, logIn, screenshot, serve, type Browser, type Served } from "./harness.js";

const RUNS = 10_000;
const LOG_BYTES = 50 * 1024 * 1024;

let served: Served;
let browser: Browser;

/** Stores finished TaskRuns directly in the server's database, before the server starts. */
function seed(dataDir: string): void {
  const store = openSqliteStore(dataDir);
  try {
    const start = Date.parse("2026-11-30T08:00:00Z");
    for (let i = 0; i < RUNS; i++) {
      const created = store.create<TaskRun>(ResourceTypes.TaskRun, {
        apiVersion: "tekton.dev/v1",
        kind: "TaskRun",
        metadata: {
          name: `build-${String(i).padStart(5, "0")}`,
          namespace: "default",
          labels: { app: i % 2 ? "web" : "api" },
        },
        spec: { taskRef: { name: "build" } },
      });
      const ok = i % 7 !== 0;
      const t0 = new Date(start + i * 5000).toISOString().replace(/\.\d+Z$/, "Z");
      const t1 = new Date(start + i * 5000 + 3000 + (i % 50) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      store.update<TaskRun>(
        ResourceTypes.TaskRun,
        {
          ...created,
          status: {
            conditions: [
              {
                type: "Succeeded",
                status: ok ? "True" : "False",
                reason: ok ? "Succeeded" : "Failed",
                message: ok ? "All Steps have completed executing" : '"step-main" exited with code 1',
                lastTransitionTime: t1,
              },
            ],
            podName: `build-${i}-pod`,
            startTime: t0,
            completionTime: t1,
            steps: [
              {
                name: "main",
                container: "step-main",
                terminated: { exitCode: ok ? 0 : 1, startedAt: t0, finishedAt: t1 },
              },
            ],
          },
        },
        { subresource: "status" },
      );
    }
  } finally {
    store.close();
  }
}

before(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  const dataDir = mkdtempSync(join(tmpdir(), "tektite-ui-scale-"));
  seed(dataDir);
  // The whole 50 MB log is kept: the default per-step bound would rotate its head out.
  served = await serve(dataDir, 0, ["--max-log-bytes", String(2 * LOG_BYTES)]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await served?.stop();
});

void test("the TaskRun list with 10,000 TaskRuns stored: first rows painted early, all rows listed, few in the page", async () => {
  const { page } = browser;
  await logIn(page, served);
  // Record when the first row is in the page, from the navigation's start.
  await page.addInitScript(
    "new MutationObserver((_, o) => { if (document.querySelector('a.row')) { window.__firstRow = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });",
  );
  await page.goto("about:blank");
  await page.goto(`${served.url}/#/taskruns`);
  await page.locator("a.row").first().waitFor();
  await page
    .getByTestId("row-count")
    .filter({ hasText: /^10000$/ })
    .waitFor({ timeout: 120_000 });
  const firstRow = Number(await page.evaluate("window.__firstRow"));
  const allRows = Number(await page.evaluate("performance.now()"));
  const fcp = Number(
    await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"),
  );
  const inPage = await page.locator("a.row").count();
  assert.ok(inPage > 0 && inPage < 200, `only the visible rows are rendered (${inPage})`);
  process.stdout.write(
    `# dashboard list with ${RUNS} TaskRuns: first contentful paint ${fcp.toFixed(0)} ms, first rows ${firstRow.toFixed(0)} ms, all ${RUNS} listed ${allRows.toFixed(0)} ms, ${inPage} rows in the DOM\n`,
  );
  // Sorting and filtering work over the whole list.
  await page.getByPlaceholder(/filter by name/).fill("build-09999");
  await page.getByTestId("row-count").filter({ hasText: "1 of 10000" }).waitFor();
  await page.getByPlaceholder(/filter by name/).fill("");
  await page.getByRole("button", { name: /^Name/ }).click();
  assert.equal(await page.locator("a.row").first().getAttribute("data-name"), "build-00000");
  await page.getByRole("button", { name: /^Name/ }).click();
  assert.equal(await page.locator("a.row").first().getAttribute("data-name"), "build-09999");
  await screenshot(page, "taskruns-10000");
});

void test("a 50 MB log is shown in a window of rows and scrolls to its last line", async () => {
  const { page } = browser;
  const line = "0123456789 the quick brown fox jumps over the lazy dog";
  await create(served, "taskruns", {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { name: "big-log", namespace: "default" },
    spec: {
      taskSpec: {
        steps: [
          { name: "spew", image: "busybox", script: `yes "${line}" | head -c ${LOG_BYTES}\necho THE-END` },
        ],
      },
    },
  });
  // `head -c` ends inside a line, which THE-END then finishes.
  const lines = Math.floor(LOG_BYTES / (line.length + 1)) + 1;
  await page.goto(`${served.url}/#/taskruns/default/big-log`);
  await page.locator('h1 [data-state="succeeded"]').waitFor({ timeout: 120_000 });
  // Open the finished run's page afresh: the whole 50 MB comes in one response.
  await page.goto("about:blank");
  const started = Date.now();
  await page.goto(`${served.url}/#/taskruns/default/big-log`);
  await page.locator('[data-testid="log"][data-state="done"]').waitFor({ timeout: 120_000 });
  const loaded = Date.now() - started;
  const count = Number(((await page.getByTestId("log-lines").textContent()) ?? "").split(" ")[0]);
  assert.equal(count, lines);
  const inPage = await page.locator(".log-line").count();
  assert.ok(inPage < 200, `only the visible lines are rendered (${inPage})`);
  await page.locator(".log-body").evaluate("(el) => { el.scrollTop = el.scrollHeight; }");
  await page.locator(".log-line", { hasText: "THE-END" }).waitFor();
  await page.getByLabel("Timestamps").check();
  await page.locator(".log-time").first().waitFor();
  process.stdout.write(
    `# dashboard 50 MB log: ${count} lines loaded and shown ${loaded} ms after opening the finished run's page, ${inPage} rows in the DOM\n`,
  );
  await screenshot(page, "taskrun-50mb-log");
});
