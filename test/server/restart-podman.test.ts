/**
 * `tektite serve --executor podman` killed with SIGKILL, with the attempt's containers left
 * running in podman, and started again after its run timed out or its step finished meanwhile.
 * podman's own lists, filtered by this run's pod directory label, tell what is left behind.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { cleanup, serve, visibleDataDir, type Served } from "../helpers/serve.js";

function podman(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn("podman", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`podman ${args.join(" ")}: ${err}`)),
    );
  });
}

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 120_000,
): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`never true: ${what}`);
}

const run = (name: string, timeout: string, script: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  timeout: ${timeout}
  taskSpec:
    steps:
      - name: work
        image: busybox
        script: |
${script
  .split("\n")
  .map((l) => `          ${l}`)
  .join("\n")}
`;

/** What podman still holds of one attempt: its containers and its pods. */
async function leftovers(podDir: string): Promise<string> {
  const filter = ["--filter", `label=io.tektite.pod-dir=${podDir}`];
  const containers = await podman(["ps", "-aq", ...filter]);
  const pods = await podman(["pod", "ps", "-q", ...filter]);
  return `${containers}${pods}`.trim();
}

/**
 * Starts the run, waits for its step's first line, then kills the server with SIGKILL; returns
 * the run's `status.startTime`.
 */
async function killMidStep(s: Served, yaml: string, podDir: string, line: string): Promise<number> {
  const created = await s.kubectl(["create", "-f", "-"], yaml);
  assert.equal(created.code, 0, created.stderr);
  const log = join(podDir, "logs", "step-work.log");
  await until(`the step printed ${line}`, () => existsSync(log) && readFileSync(log, "utf8").includes(line));
  assert.notEqual(await leftovers(podDir), "", "the step's container runs in podman");
  const name = /name: (\S+)/.exec(yaml)![1]!;
  const startTime = Date.parse(await s.jsonpath(name, "{.status.startTime}"));
  await s.stop("SIGKILL");
  return startTime;
}

void describe("tektite serve --executor podman after kill -9", async () => {
  const skip = await skipUnlessEngine();

  void it(
    "finishes a run whose timeout expired while the server was down with TaskRunTimeout and removes its pod and containers",
    { skip },
    async (t) => {
      const dataDir = visibleDataDir("tektite-restart-timeout-");
      const podDir = join(dataDir, "pods", "default", "overdue-pod");
      const first = await serve({ executor: "podman", dataDir });
      t.after(() => first.stop("SIGKILL"));
      const startTime = await killMidStep(
        first,
        run("overdue", "6s", "echo started\nsleep 600"),
        podDir,
        "started",
      );
      await until(
        "the timeout has passed while the server is down",
        () => Date.now() > startTime + 7_000,
        30_000,
      );
      assert.notEqual(await leftovers(podDir), "", "the container outlived the server");

      const second = await serve({ executor: "podman", dataDir });
      t.after(() => cleanup(second));
      assert.equal(await second.finished("overdue"), "TaskRunTimeout");
      assert.equal(
        await leftovers(podDir),
        "",
        "the run's pod and containers are removed once it is settled",
      );
      assert.equal(
        await second.jsonpath("overdue", '{.status.conditions[?(@.type=="Succeeded")].message}'),
        'TaskRun "overdue" failed to finish within "6s"',
      );
      assert.equal(
        await second.jsonpath("overdue", "{.status.steps[0].terminated.reason}"),
        "TaskRunTimeout",
      );
      const log = await second.kubectl(["logs", "overdue-pod", "-c", "step-work"]);
      assert.match(log.stdout, /started/);
    },
  );

  void it(
    "keeps the whole log of a step that finished while the server was down and completes the run",
    { skip },
    async (t) => {
      const dataDir = visibleDataDir("tektite-restart-finished-");
      const podDir = join(dataDir, "pods", "default", "quiet-pod");
      const first = await serve({ executor: "podman", dataDir });
      t.after(() => first.stop("SIGKILL"));
      await killMidStep(
        first,
        run("quiet", "10m", "echo before the kill\nsleep 3\necho while the server was down"),
        podDir,
        "before the kill",
      );
      const exited = [
        "ps",
        "-aq",
        "--filter",
        `label=io.tektite.pod-dir=${podDir}`,
        "--filter",
        "status=exited",
      ];
      await until(
        "the step's container has exited",
        async () => (await podman(exited)).trim() !== "",
        60_000,
      );

      const second = await serve({ executor: "podman", dataDir });
      t.after(() => cleanup(second));
      assert.equal(await second.finished("quiet"), "Succeeded");
      const log = await second.kubectl(["logs", "quiet-pod", "-c", "step-work"]);
      assert.equal(log.stdout, "before the kill\nwhile the server was down\n");
      await until("the run's containers are removed", async () => (await leftovers(podDir)) === "");
    },
  );
});
