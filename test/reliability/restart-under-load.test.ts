/**
 * Reliability: `tektite serve` under load, killed with SIGKILL three times, pruning under load
 * (`--keep`), and fed oversized results and logs. Loopback only, bounded in time. `npm run test:reliability` runs it with 600
 * TaskRuns (TEKTITE_RELIABILITY_RUNS); `npm test` with a smaller load. Figures go to the test's
 * diagnostics (and to TEKTITE_RELIABILITY_REPORT as JSON when set) for docs/reliability.md.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cleanup, serve, type Served } from "../helpers/serve.js";

const RUNS = Number(process.env["TEKTITE_RELIABILITY_RUNS"] ?? "40");
const KILLS = 3;
const report: Record<string, unknown> = {};

const run = (name: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  workspaces:
    - name: ledger
      persistentVolumeClaim:
        claimName: ledger
  taskSpec:
    workspaces:
      - name: ledger
    steps:
      - name: record
        image: busybox
        script: echo "$(context.taskRun.name)" >> $(workspaces.ledger.path)/ran
`;

function ledger(dataDir: string): string[] {
  const file = join(dataDir, "pvcs", "default", "ledger", "ran");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

/** Runs with a step launched: its log file is created just before the step starts, before it writes the ledger. */
function launched(dataDir: string, names: string[]): string[] {
  return names.filter((n) => {
    const logs = join(dataDir, "pods", "default", `${n}-pod`, "logs");
    return existsSync(logs) && readdirSync(logs).some((f) => f.startsWith("step-"));
  });
}

async function reasons(s: Served): Promise<Map<string, string>> {
  const r = await s.kubectl(["get", "taskruns", "-o", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as {
    items: Array<{
      metadata: { name: string };
      status?: { conditions?: Array<{ status: string; reason: string }> };
    }>;
  };
  const out = new Map<string, string>();
  for (const tr of list.items) {
    const c = tr.status?.conditions?.[0];
    out.set(tr.metadata.name, c === undefined || c.status === "Unknown" ? "" : c.reason);
  }
  return out;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

void test(`${RUNS} TaskRuns, SIGKILL ${KILLS} times: none lost, none run twice, none failed without starting`, async (t) => {
  const args = ["--max-parallel", "4"];
  let s = await serve({ args });
  const dataDir = s.dataDir;
  t.after(() => cleanup(s));
  const names = Array.from({ length: RUNS }, (_, i) => `load-${i}`);
  const started = Date.now();
  for (let i = 0; i < names.length; i += 100) {
    const created = await s.kubectl(
      ["create", "-f", "-"],
      names
        .slice(i, i + 100)
        .map(run)
        .join("---\n"),
    );
    assert.equal(created.code, 0, created.stderr);
  }
  const startedBeforeSomeKill = new Set<string>();
  for (let k = 1; k <= KILLS; k++) {
    const target = Math.floor((RUNS * k) / (KILLS + 1));
    while (ledger(dataDir).length < target) await new Promise((r) => setTimeout(r, 50));
    await s.stop("SIGKILL");
    for (const n of [...ledger(dataDir), ...launched(dataDir, names)]) startedBeforeSomeKill.add(n);
    s = await serve({ args, dataDir });
  }
  let final = await reasons(s);
  for (let i = 0; i < 3000 && [...final.values()].some((r) => r === ""); i++) {
    await new Promise((r) => setTimeout(r, 200));
    final = await reasons(s);
  }
  const ran = ledger(dataDir);
  const counts = new Map<string, number>();
  for (const n of ran) counts.set(n, (counts.get(n) ?? 0) + 1);
  const lost = names.filter((n) => !final.has(n) || final.get(n) === "");
  const twice = [...counts].filter(([, c]) => c > 1).map(([n]) => n);
  const failedUnstarted = names.filter((n) => final.get(n) !== "Succeeded" && !startedBeforeSomeKill.has(n));
  const interrupted = names.filter((n) => final.get(n) === "Failed");
  Object.assign(report, {
    runs: RUNS,
    kills: KILLS,
    seconds: Math.round((Date.now() - started) / 1000),
    lost: lost.length,
    executedTwice: twice.length,
    failedWithoutStarting: failedUnstarted.length,
    interruptedWhileRunning: interrupted.length,
    succeeded: names.filter((n) => final.get(n) === "Succeeded").length,
  });
  t.diagnostic(JSON.stringify(report));
  assert.deepEqual(lost, []);
  assert.deepEqual(twice, []);
  assert.deepEqual(failedUnstarted, []);
});

void test(`${RUNS} TaskRuns under --keep: every one runs once, only the kept ones are left, nothing of the others on disk`, async (t) => {
  const keep = Math.max(5, Math.floor(RUNS / 10));
  const s = await serve({ args: ["--max-parallel", "4", "--keep", String(keep)] });
  t.after(() => cleanup(s));
  const names = Array.from({ length: RUNS }, (_, i) => `kept-${i}`);
  const started = Date.now();
  for (let i = 0; i < names.length; i += 100) {
    const created = await s.kubectl(
      ["create", "-f", "-"],
      names
        .slice(i, i + 100)
        .map(run)
        .join("---\n"),
    );
    assert.equal(created.code, 0, created.stderr);
  }
  while (ledger(s.dataDir).length < RUNS) await new Promise((r) => setTimeout(r, 100));
  const podDirs = (): string[] => readdirSync(join(s.dataDir, "pods", "default")).sort();
  let left = await reasons(s);
  for (let i = 0; i < 600 && (left.size !== keep || podDirs().length !== keep); i++) {
    await new Promise((r) => setTimeout(r, 200));
    left = await reasons(s);
  }
  const ran = ledger(s.dataDir);
  const events = await s.kubectl(["get", "events", "-o", "jsonpath={.items[*].involvedObject.name}"]);
  assert.equal(events.code, 0, events.stderr);
  const eventsOfPruned = events.stdout.split(" ").filter((n) => n !== "" && !left.has(n));
  Object.assign(report, {
    retentionRuns: RUNS,
    retentionKeep: keep,
    retentionSeconds: Math.round((Date.now() - started) / 1000),
    retentionRanOnce: new Set(ran).size,
    retentionLeft: left.size,
    retentionPodDirsLeft: podDirs().length,
    retentionEventsOfPruned: eventsOfPruned.length,
  });
  t.diagnostic(JSON.stringify(report));
  assert.equal(ran.length, RUNS, "every run's step ran exactly once");
  assert.equal(new Set(ran).size, RUNS);
  assert.equal(left.size, keep);
  assert.deepEqual([...new Set(left.values())], ["Succeeded"]);
  assert.deepEqual(podDirs(), [...left.keys()].map((n) => `${n}-pod`).sort());
  assert.deepEqual(eventsOfPruned, []);
});

void test("oversized results and a large log leave the server up with bounded memory", async (t) => {
  const s = await serve({ args: ["--max-log-bytes", String(64 * 1024 * 1024)] });
  t.after(() => cleanup(s));
  const pid = s.child.pid!;
  const before = rssMb(pid);
  const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: huge-result
spec:
  taskSpec:
    results:
      - name: big
    steps:
      - name: fill
        image: busybox
        script: head -c 100000000 /dev/zero > $(results.big.path)
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: huge-log
spec:
  taskSpec:
    steps:
      - name: talk
        image: busybox
        script: head -c 200000000 /dev/zero | tr '\\0' 'x' | fold -w 100; echo
`;
  assert.equal((await s.kubectl(["create", "-f", "-"], yaml)).code, 0);
  assert.equal(await s.finished("huge-result", 300_000), "StepFailed");
  assert.equal(await s.finished("huge-log", 300_000), "Succeeded");
  assert.equal(await s.jsonpath("huge-result", "{.status.results}"), "");
  const log = await s.http("GET", "/api/v1/namespaces/default/pods/huge-log-pod/log?container=step-talk");
  assert.equal(log.status, 200);
  const tail = await s.http(
    "GET",
    "/api/v1/namespaces/default/pods/huge-log-pod/log?container=step-talk&tailLines=2",
  );
  assert.equal(tail.body, `${"x".repeat(100)}\n${"x".repeat(100)}\n`);
  const after = rssMb(pid);
  Object.assign(report, { rssBeforeMb: before, rssAfterMb: after, logBytesServed: log.body.length });
  t.diagnostic(JSON.stringify(report));
  assert.ok(log.body.length <= 64 * 1024 * 1024, `${log.body.length} bytes of log kept`);
  assert.ok(after < before + 400, `server RSS grew from ${before} MB to ${after} MB`);
  const reportPath = process.env["TEKTITE_RELIABILITY_REPORT"];
  if (reportPath) writeFileSync(reportPath, JSON.stringify(report, null, 2) + "\n");
});
