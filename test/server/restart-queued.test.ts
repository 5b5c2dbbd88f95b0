/**
 * Runs that were only waiting for a slot when `tektite serve` died (kill -9) or stopped (SIGTERM)
 * start after the restart; none is lost, none runs twice, none fails without having started.
 * Each step appends its run's name to a ledger on a shared claim, so "ran" is what the steps did.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cleanup, serve, type Served } from "../helpers/serve.js";

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
        script: |
          # Runs go one at a time: the first one holds its slot long enough for the test to stop the
          # server while it runs, however late a loaded machine lets the test see the ledger.
          ledger=$(workspaces.ledger.path)/ran
          if [ -s "$ledger" ]; then pause=1; else pause=6; fi
          echo "$(context.taskRun.name)" >> "$ledger"
          sleep $pause
`;

function ledger(dataDir: string): string[] {
  const file = join(dataDir, "pvcs", "default", "ledger", "ran");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

async function outcomes(s: Served, names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of names) out.set(n, await s.finished(n, 300_000));
  return out;
}

for (const signal of ["SIGKILL", "SIGTERM"] as const) {
  void test(`after ${signal} the runs that were waiting for a slot start, and nothing runs twice`, async (t) => {
    const args = ["--max-parallel", "1"];
    let s = await serve({ args });
    const dataDir = s.dataDir;
    t.after(() => cleanup(s));
    const names = Array.from({ length: 6 }, (_, i) => `queued-${i}`);
    const created = await s.kubectl(["create", "-f", "-"], names.map(run).join("---\n"));
    assert.equal(created.code, 0, created.stderr);
    await until(() => ledger(dataDir).length >= 1, "a first step ran");
    await s.stop(signal);
    const startedBefore = new Set(ledger(dataDir));

    s = await serve({ args, dataDir });
    const result = await outcomes(s, names);
    const ran = ledger(dataDir);
    assert.equal(new Set(ran).size, ran.length, `a run executed twice: ${ran.join(", ")}`);
    for (const [name, reason] of result) {
      if (startedBefore.has(name))
        assert.ok(reason === "Failed" || reason === "Succeeded", `${name}: ${reason}`);
      else
        assert.equal(
          reason,
          "Succeeded",
          `${name} had not started a step before the ${signal} but ended ${reason}`,
        );
    }
    assert.ok(startedBefore.size < names.length, "every run had started before the stop: nothing was queued");
    assert.equal(
      ran.length,
      names.length,
      `runs that never ran: ${names.filter((n) => !ran.includes(n)).join(", ")}`,
    );
  });
}
