/**
 * PipelineRuns in the dashboard, in real Chromium against a real `tektite serve`: the graph with
 * each task's state, a matrix fanned out, a skipped task with its reason, the finally task, links
 * to the child runs; cancelling a PipelineRun from its page.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { CHROMIUM, create, launch, logIn, screenshot, serve, type Browser, type Served } from "./harness.js";

let served: Served;
let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  served = await serve();
  browser = await launch();
  await logIn(browser.page, served);
});
after(async () => {
  await browser?.close();
  await served?.stop();
});

const step = (script: string) => ({ steps: [{ name: "main", image: "busybox", script }] });

void test("a PipelineRun's graph shows each task's state, the matrix fan-out, the skipped task and finally, and links to children", async () => {
  const { page } = browser;
  await create(served, "pipelineruns", {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { name: "release", namespace: "default" },
    spec: {
      pipelineSpec: {
        tasks: [
          {
            name: "fetch",
            taskSpec: {
              results: [{ name: "commit" }],
              ...step("echo fetching; printf abc123 > $(results.commit.path)"),
            },
          },
          {
            name: "build",
            params: [{ name: "rev", value: "$(tasks.fetch.results.commit)" }],
            matrix: { params: [{ name: "arch", value: ["amd64", "arm64"] }] },
            taskSpec: {
              params: [{ name: "rev" }, { name: "arch" }],
              ...step('echo "build $(params.rev) for $(params.arch)"'),
            },
          },
          {
            name: "deploy",
            runAfter: ["build"],
            when: [{ input: "$(tasks.fetch.results.commit)", operator: "in", values: ["never"] }],
            taskSpec: step("echo deploying"),
          },
        ],
        finally: [{ name: "notify", taskSpec: step("echo all done") }],
      },
    },
  });
  await page.goto(`${served.url}/#/pipelineruns`);
  await page.locator('a.row[data-name="release"]').waitFor();
  await page.locator('a.row[data-name="release"]').click();
  await page.locator('h1 [data-state="succeeded"]').waitFor({ timeout: 90_000 });
  const graph = page.getByTestId("graph");
  const state = (task: string) => graph.locator(`[data-task="${task}"]`).getAttribute("data-state");
  await graph.locator('[data-task="notify"][data-state="succeeded"]').waitFor();
  assert.equal(await state("fetch"), "succeeded");
  assert.equal(await state("build"), "succeeded");
  assert.equal(await state("deploy"), "skipped");
  assert.match((await graph.locator('[data-task="build"]').textContent()) ?? "", /build ×2/);
  assert.equal(await graph.locator('[data-edge="fetch->build"]').getAttribute("data-kind"), "result");
  assert.equal(await graph.locator('[data-edge="build->deploy"]').getAttribute("data-kind"), "runAfter");
  assert.match(
    (await page.locator('[data-skipped="deploy"]').textContent()) ?? "",
    /skipped: When Expressions evaluated to false/,
  );
  assert.equal(await page.locator("[data-child]").count(), 4, "fetch, two build runs, notify");
  await screenshot(page, "pipelinerun-graph");
  await graph.getByRole("link", { name: /^fetch/ }).click();
  await page.waitForURL(/#\/taskruns\/default\/release-fetch$/);
  await page.locator(".log-line", { hasText: "fetching" }).waitFor();
  await page.getByTestId("results").filter({ hasText: "abc123" }).waitFor();
});

void test("cancel from a PipelineRun's page cancels it and its running task", async () => {
  const { page } = browser;
  await create(served, "pipelineruns", {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { name: "long", namespace: "default" },
    spec: { pipelineSpec: { tasks: [{ name: "nap", taskSpec: step("echo napping; sleep 300") }] } },
  });
  await page.goto(`${served.url}/#/pipelineruns/default/long`);
  await page.locator('[data-task="nap"][data-state="running"]').waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.locator('h1 [data-state="cancelled"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId("reason").textContent(), "Cancelled");
  await page.locator('[data-task="nap"][data-state="cancelled"]').waitFor();
  await screenshot(page, "pipelinerun-cancelled");
});
