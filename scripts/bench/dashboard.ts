/**
 * Benchmark 8, the dashboard: first meaningful paint of the TaskRun list with 10,000 TaskRuns
 * stored. The seeded data directory of the API benchmark, `tektite serve` on it, Debian's
 * Chromium (headless, fresh profile) logged in once; then each repetition opens the list page
 * afresh and records, from the navigation's start, the first contentful paint, the moment the
 * first rows are in the page (a MutationObserver), and the moment all 10,000 are listed.
 *
 * @module
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { seededDataDir } from "./seed.js";
import { startServe, type ServeProcess } from "./server.js";
import { fmtRatio, fmtSummary, rounded, summarize } from "./stats.js";
import type { BenchRow, Benchmark } from "./types.js";

const CHROMIUM = "/usr/bin/chromium";
const TARGET_MS = 1000;
const FIRST_ROW_PROBE =
  "new MutationObserver((_, o) => { if (document.querySelector('a.row')) { window.__firstRow = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });";

export const dashboard: Benchmark = {
  name: "dashboard",
  title: "Dashboard: the TaskRun list with 10,000 stored TaskRuns",
  async run(ctx) {
    const count = ctx.quick ? 2_000 : 10_000;
    const reps = ctx.quick ? 3 : 7;
    const method = `${count} completed TaskRuns written through \`openSqliteStore(dataDir)\`, \`tektite serve\` on that data directory, Chromium ${CHROMIUM} headless with a fresh profile, 1280×800, logged in once through the login page. Each of ${reps} repetitions (after one warm-up) goes to \`about:blank\` and then opens \`/#/taskruns\`; times are from the navigation's start: first contentful paint, first rows in the page (the first list page of 500 has arrived and rendered), all ${count} listed (every \`limit=500\` page has arrived).`;
    if (!existsSync(CHROMIUM))
      return {
        method,
        rows: [{ metric: "first rows", target: "≤ 1 s", measured: "—", verdict: "blocked" }],
        notes: [`Blocked: ${CHROMIUM} is not installed`],
      };
    const seed = seededDataDir(ctx.scratch, count);
    let srv: ServeProcess | undefined;
    const profile = mkdtempSync(join(ctx.scratch, "chromium-"));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      srv = await startServe(ctx.repo, seed.dir, ["--executor", "host", "--sandbox", "none"]);
      const base = srv.url.toString().replace(/\/$/, "");
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(`${base}/`);
      await page.getByLabel("Token").fill(srv.token);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("navigation", { name: "Kinds" }).waitFor();
      await page.addInitScript(FIRST_ROW_PROBE);
      const fcp: number[] = [];
      const first: number[] = [];
      const all: number[] = [];
      for (let i = 0; i <= reps; i++) {
        await page.goto("about:blank");
        await page.goto(`${base}/#/taskruns`);
        await page
          .getByTestId("row-count")
          .filter({ hasText: new RegExp(`^${count}$`) })
          .waitFor({ timeout: 120_000 });
        const done = Number(await page.evaluate("performance.now()"));
        const row = Number(await page.evaluate("window.__firstRow"));
        const paint = Number(
          await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"),
        );
        if (i === 0) continue;
        fcp.push(paint);
        first.push(row);
        all.push(done);
        ctx.log(
          `  first paint ${paint.toFixed(0)} ms, first rows ${row.toFixed(0)} ms, all ${done.toFixed(0)} ms`,
        );
      }
      const f = summarize(first);
      const rows: BenchRow[] = [
        {
          metric: `first rows of the TaskRun list, ${count} TaskRuns stored`,
          target: "≤ 1 s",
          measured: fmtSummary(f),
          ratio: f.median / TARGET_MS,
          verdict: f.median <= TARGET_MS ? "met" : "missed",
          data: { firstRowsMs: rounded(f) },
        },
        {
          metric: "first contentful paint (the page's frame)",
          target: "—",
          measured: fmtSummary(summarize(fcp)),
          verdict: "info",
          detail: true,
          data: { fcpMs: rounded(summarize(fcp)) },
        },
        {
          metric: `all ${count} TaskRuns listed`,
          target: "—",
          measured: fmtSummary(summarize(all)),
          verdict: "info",
          data: { allRowsMs: rounded(summarize(all)) },
        },
      ];
      return {
        method,
        rows,
        notes: [
          `The list renders only the rows on screen (about 30 of ${count}); the first rows appear once the first page of 500 is in, the rest stream in behind them (ratio to the 1 s target: ${fmtRatio(f.median / TARGET_MS)}).`,
        ],
      };
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      await srv?.stop();
    }
  },
};
