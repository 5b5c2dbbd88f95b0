/**
 * The dashboard in real Chromium against a real `tektite serve`: log in, watch a TaskRun run with
 * its log growing live, cancel and rerun from the page, answer an Approval, see admission errors
 * at their field, and find a finished run's page and log again after a server restart.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { CHROMIUM, create, launch, logIn, screenshot, serve, type Browser, type Served } from "./harness.js";

let served: Served;
let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  served = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await served?.stop();
});

const SLOW_LOG = [
  'printf "\\033[32mgreen start\\033[0m\\n"',
  'echo "::group::Install deps"',
  'echo "inside the group"',
  'echo "::endgroup::"',
  'echo "::warning::careful now"',
  "i=0",
  "while [ $i -lt 6 ]; do echo tick $i; i=$((i+1)); sleep 0.5; done",
  'echo "::error::not really broken"',
  "echo finished",
].join("\n");

function taskRun(name: string, script: string): TaskRun {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { name, namespace: "default" },
    spec: { taskSpec: { steps: [{ name: "main", image: "busybox", script }] } },
  };
}

void test("the login page refuses a wrong token and lets the right one in", async () => {
  const { page } = browser;
  await page.goto(`${served.url}/`);
  await screenshot(page, "login");
  await page.getByLabel("Token").fill("not-the-token");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("alert").filter({ hasText: "did not accept" }).waitFor();
  assert.ok(!page.url().includes("not-the-token"));
  await logIn(page, served);
  assert.ok(!page.url().includes(served.token), "the token is never in the URL");
});

void test("a running TaskRun shows up in the list, its log grows live and its status turns Succeeded", async () => {
  const { page } = browser;
  await page.goto(`${served.url}/#/taskruns`);
  await create(served, "taskruns", taskRun("live-log", SLOW_LOG));
  const row = page.locator('a.row[data-name="live-log"]');
  await row.waitFor();
  await row.locator('[data-state="running"]').waitFor();
  await screenshot(page, "taskruns-list");
  await row.click();
  await page.getByTestId("run-page").waitFor();
  const lines = page.getByTestId("log-lines");
  await page.locator(".log-line", { hasText: "tick 1" }).waitFor();
  const early = Number((await lines.textContent())?.split(" ")[0]);
  await page.locator(".log-line", { hasText: "tick 4" }).waitFor();
  const later = Number((await lines.textContent())?.split(" ")[0]);
  assert.ok(later > early, `the log grew while the step ran (${early} → ${later} lines)`);
  assert.match((await page.locator("h1 .status").getAttribute("data-state")) ?? "", /running/);
  await page.locator('h1 [data-state="succeeded"]').waitFor();
  await page.locator(".log-line", { hasText: "finished" }).waitFor();
  assert.equal(await page.getByTestId("reason").textContent(), "Succeeded");

  // ANSI colours become styled spans; ::warning:: and ::error:: lines are highlighted.
  const green = page.locator(".log-text span", { hasText: "green start" });
  assert.equal(await green.getAttribute("style"), "color: var(--ansi-2);");
  await page.locator(".log-warning", { hasText: "careful now" }).waitFor();
  await page.locator(".log-error", { hasText: "not really broken" }).waitFor();
  // The group starts collapsed; its header opens it.
  const toggle = page.getByRole("button", { name: /Install deps/ });
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator(".log-line", { hasText: "inside the group" }).count(), 0);
  await toggle.click();
  await page.locator(".log-line", { hasText: "inside the group" }).waitFor();
  // Timestamps are shown on request.
  await page.getByLabel("Timestamps").check();
  await page.locator(".log-time").first().waitFor();
  await screenshot(page, "taskrun-page");
});

void test("cancel from the run page stops a running TaskRun with TaskRunCancelled; rerun starts a copy", async () => {
  const { page } = browser;
  await create(served, "taskruns", taskRun("to-cancel", "echo started; sleep 300"));
  await page.goto(`${served.url}/#/taskruns/default/to-cancel`);
  await page.locator(".log-line", { hasText: "started" }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.locator('h1 [data-state="cancelled"]').waitFor();
  assert.equal(await page.getByTestId("reason").textContent(), "TaskRunCancelled");
  await page.getByRole("button", { name: "Rerun" }).click();
  await page.waitForURL(/#\/taskruns\/default\/to-cancel-r-[a-z0-9]{5}$/);
  await page.locator(".log-line", { hasText: "started" }).waitFor();
  assert.match((await page.getByTestId("run-name").textContent()) ?? "", /^to-cancel-r-/);
  await page.locator("p.muted", { hasText: "rerun of to-cancel" }).waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.locator('h1 [data-state="cancelled"]').waitFor();
});

void test("edit and run shows an admission error at its field and runs the corrected YAML", async () => {
  const { page } = browser;
  await page.goto(`${served.url}/#/taskruns/default/live-log/edit`);
  const editor = page.getByLabel("YAML");
  await editor.waitFor();
  // The page loads the run and fills the editor with its rerun copy.
  for (let i = 0; i < 200 && !(await editor.inputValue()).includes("generateName"); i++)
    await page.waitForTimeout(50);
  const yaml = await editor.inputValue();
  await editor.fill(yaml.replace("name: main", "name: Not_Valid"));
  await page.getByRole("button", { name: "Run" }).click();
  const problems = page.getByTestId("problems");
  await problems.waitFor();
  const text = (await problems.textContent()) ?? "";
  assert.match(text, /invalid value "Not_Valid"/);
  assert.match(text, /spec\.taskSpec\.steps\[0\]\.name \(line \d+\)/);
  assert.equal(await page.locator(".gutter .marked").count(), 1);
  await screenshot(page, "edit-and-run");
  await editor.fill(yaml.replace("name: main", "name: fixed"));
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForURL(/#\/taskruns\/default\/live-log-r-/);
  await page.locator('button.step[data-step="fixed"]').waitFor();
});

void test("an Approval CustomRun is approved from its page", async () => {
  const { page } = browser;
  await create(
    served,
    "customruns",
    {
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name: "gate", namespace: "default" },
      spec: {
        customRef: { apiVersion: "approval.tektite.dev/v1alpha1", kind: "Approval" },
        params: [
          { name: "approvers", value: ["alice"] },
          { name: "description", value: "ship it?" },
        ],
      },
    },
    "v1beta1",
  );
  await page.goto(`${served.url}/#/customruns/default/gate`);
  await page.getByTestId("approval-state").filter({ hasText: "pending" }).waitFor();
  await page.getByLabel("Your name").fill("mallory");
  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("alert").filter({ hasText: 'user "mallory" is not an approver' }).waitFor();
  await page.getByLabel("Your name").fill("alice");
  await page.getByLabel("Message").fill("lgtm");
  await page.getByRole("button", { name: "Approve" }).click();
  await page.locator('h1 [data-state="succeeded"]').waitFor();
  assert.equal(await page.getByTestId("reason").textContent(), "Approved");
  await page.getByTestId("extra-fields").filter({ hasText: "lgtm" }).waitFor();
  await screenshot(page, "customrun-approval");
  await page.goto(`${served.url}/#/customruns`);
  await page.locator('a.row[data-name="gate"] [data-state="succeeded"]').waitFor();
  await screenshot(page, "customruns-list");
});

void test("a finished run's page and log are there after the server restarts", async () => {
  const { page } = browser;
  await served.stop();
  served = await serve(served.dataDir, Number(new URL(served.url).port));
  // Same data directory and address: same token and origin, so the tab keeps its session.
  await page.goto(`${served.url}/#/taskruns/default/live-log`);
  await page.locator('h1 [data-state="succeeded"]').waitFor();
  await page.locator(".log-line", { hasText: "finished" }).waitFor();
  await screenshot(page, "taskrun-after-restart");
});

void test("the list is readable at phone width, and the page follows a dark colour scheme", async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${served.url}/#/taskruns`);
  await page.locator('a.row[data-name="live-log"]').waitFor();
  const bg = await page.evaluate("getComputedStyle(document.body).backgroundColor");
  assert.equal(bg, "rgb(20, 24, 28)");
  const overflow = Number(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"));
  assert.ok(overflow <= 0, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
  await screenshot(page, "taskruns-phone-dark");
  await page.goto(`${served.url}/#/taskruns/default/live-log`);
  await page.locator(".log-line", { hasText: "finished" }).waitFor();
  await screenshot(page, "taskrun-phone-dark");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "light" });
});

void test("a Pipeline's page draws its graph: runAfter and result edges, the finally column apart", async () => {
  const { page } = browser;
  await create(served, "pipelines", {
    apiVersion: "tekton.dev/v1",
    kind: "Pipeline",
    metadata: { name: "release", namespace: "default" },
    spec: {
      tasks: [
        {
          name: "fetch",
          taskSpec: { results: [{ name: "commit" }], steps: [{ image: "busybox", script: "true" }] },
        },
        { name: "test", runAfter: ["fetch"], taskSpec: { steps: [{ image: "busybox", script: "true" }] } },
        {
          name: "build",
          params: [{ name: "rev", value: "$(tasks.fetch.results.commit)" }],
          taskSpec: { params: [{ name: "rev" }], steps: [{ image: "busybox", script: "true" }] },
        },
      ],
      finally: [{ name: "notify", taskSpec: { steps: [{ image: "busybox", script: "true" }] } }],
    },
  });
  await page.goto(`${served.url}/#/pipelines/default/release`);
  const graph = page.getByTestId("graph");
  await graph.waitFor();
  for (const t of ["fetch", "test", "build", "notify"]) await graph.locator(`[data-task="${t}"]`).waitFor();
  assert.equal(await graph.locator('[data-edge="fetch->test"]').getAttribute("data-kind"), "runAfter");
  assert.equal(await graph.locator('[data-edge="fetch->build"]').getAttribute("data-kind"), "result");
  await graph.locator("text", { hasText: "finally" }).waitFor();
  await screenshot(page, "pipeline-graph");
});

void test("a retried TaskRun shows each attempt with its own log", async () => {
  const { page } = browser;
  await create(served, "taskruns", {
    ...taskRun("flaky", "echo trying; exit 3"),
    spec: { ...taskRun("flaky", "echo trying; exit 3").spec, retries: 1 },
  });
  await page.goto(`${served.url}/#/taskruns/default/flaky`);
  await page.locator('h1 [data-state="failed"]').waitFor({ timeout: 60_000 });
  const tabs = page.getByRole("tablist", { name: "Attempts" }).getByRole("tab");
  assert.equal(await tabs.count(), 2);
  await tabs.first().click();
  assert.equal(await tabs.first().getAttribute("aria-selected"), "true");
  await page.locator(".log-line", { hasText: "trying" }).waitFor();
  await page.locator('button.step[data-step="main"] [data-state="failed"]').waitFor();
  await tabs.last().click();
  await page.locator(".log-line", { hasText: "trying" }).waitFor();
  await screenshot(page, "taskrun-retries");
});

void test("the list and a run are reachable with the keyboard alone", async () => {
  const { page } = browser;
  await page.goto(`${served.url}/#/taskruns`);
  await page.locator('a.row[data-name="live-log"]').waitFor();
  await page.getByPlaceholder(/filter by name/).focus();
  await page.keyboard.type("live-log");
  // From the text filter, Tab reaches the sort buttons and then the first row.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate("document.activeElement?.dataset?.name ?? ''")) === "live-log") break;
  }
  assert.equal(await page.evaluate("document.activeElement?.dataset?.name ?? ''"), "live-log");
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/taskruns\/default\/live-log$/);
  await page.getByTestId("run-page").waitFor();
});
