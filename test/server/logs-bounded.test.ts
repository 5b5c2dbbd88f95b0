/**
 * Step logs cannot fill the disk or the server's memory: each is bounded on disk (the tail kept,
 * as kubelet rotates), `pods/log` reads it a chunk at a time honouring tailLines, limitBytes and
 * sinceSeconds, and deleting the TaskRun removes its pod directory.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanup, serve, type Served } from "../helpers/serve.js";

const LOUD = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: loud
spec:
  taskSpec:
    steps:
      - name: talk
        image: busybox
        script: seq 1 3000000
`;

function sizeIfExists(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

void describe("bounded step logs", () => {
  let s: Served;
  before(async () => {
    s = await serve({ args: ["--max-log-bytes", "1000000"] });
  });
  after(async () => {
    await cleanup(s);
  });

  void it("keeps at most --max-log-bytes of a 20 MB log on disk, the newest output", async () => {
    assert.equal((await s.kubectl(["create", "-f", "-"], LOUD)).code, 0);
    assert.equal(await s.finished("loud"), "Succeeded");
    const log = join(s.dataDir, "pods", "default", "loud-pod", "logs", "step-talk.log");
    const onDisk = sizeIfExists(log) + sizeIfExists(`${log}.1`);
    assert.ok(onDisk <= 1_000_000, `${onDisk} bytes of log on disk`);
    assert.ok(onDisk > 400_000, `only ${onDisk} bytes kept`);
    assert.match(readFileSync(log, "utf8"), /\n3000000\n$/);
  });

  void it("serves the tail, a byte limit and sinceSeconds from the bounded log", async () => {
    const tail = await s.kubectl(["logs", "loud-pod", "-c", "step-talk", "--tail=3"]);
    assert.equal(tail.stdout, "2999998\n2999999\n3000000\n");
    const limited = await s.kubectl(["logs", "loud-pod", "-c", "step-talk", "--limit-bytes=16"]);
    assert.equal(limited.stdout.length, 16);
    const all = await s.kubectl(["logs", "loud-pod", "-c", "step-talk"]);
    const lines = all.stdout.split("\n").filter(Boolean);
    assert.equal(lines.at(-1), "3000000");
    // What is kept is a contiguous run of the newest lines (from the rotated file on).
    const first = Number(lines[0]);
    assert.ok(first > 1, "the oldest output should have rotated out");
    assert.equal(lines.length, 3000000 - first + 1);
    const recent = await s.kubectl(["logs", "loud-pod", "-c", "step-talk", "--since=1h", "--tail=1"]);
    assert.equal(recent.stdout, "3000000\n");
    const future = await s.http(
      "GET",
      `/api/v1/namespaces/default/pods/loud-pod/log?container=step-talk&sinceTime=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
    );
    assert.equal(future.status, 200);
    assert.equal(future.body, "");
  });

  void it("removes the pod directory with its logs when the TaskRun is deleted", async () => {
    const dir = join(s.dataDir, "pods", "default", "loud-pod");
    assert.ok(existsSync(dir));
    const deleted = await s.kubectl(["delete", "taskrun", "loud"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    for (let i = 0; i < 100 && existsSync(dir); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(dir), false, "the pod directory is still there");
  });
});
