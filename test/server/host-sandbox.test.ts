/**
 * The host executor's bubblewrap sandbox under `tektite serve`, attacked from a step running as
 * the server's user: no capabilities (no remount of read-only binds), no view of the data
 * directory, a session of its own. And the sidecar-logs result limit.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanup, serve, visibleDataDir, type Served } from "../helpers/serve.js";

const escapeRun = (dataDir: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: escape
spec:
  workspaces:
    - name: ro
      emptyDir: {}
  taskSpec:
    workspaces:
      - name: ro
        mountPath: /ro
        readOnly: true
    steps:
      - name: try
        image: busybox
        script: |
          for target in /etc /usr /ro; do
            if mount -o remount,rw,bind "$target" 2>/dev/null; then echo "REMOUNTED $target"; fi
          done
          if touch /etc/tektite-escape 2>/dev/null; then echo WROTE-ETC; fi
          if touch /ro/x 2>/dev/null; then echo WROTE-READ-ONLY-VOLUME; fi
          if cat ${dataDir}/token 2>/dev/null; then echo READ-TOKEN; fi
          echo "data dir entries: $(ls -A ${dataDir} 2>/dev/null | wc -l)"
          grep CapEff /proc/self/status
          grep NoNewPrivs /proc/self/status
          echo "session leader: $(ps -o sid= -p $$ 2>/dev/null || cut -d' ' -f6 /proc/$$/stat)"
`;

void describe("the host executor's sandbox", () => {
  let s: Served;
  before(async () => {
    s = await serve({
      executor: "host",
      args: ["--sandbox", "bwrap"],
      dataDir: visibleDataDir("tektite-sbx-"),
    });
  });
  after(async () => {
    await cleanup(s);
  });

  void it("gives a step no capabilities and no view of the data directory, even as root", async () => {
    const created = await s.kubectl(["create", "-f", "-"], escapeRun(s.dataDir));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(await s.finished("escape"), "Succeeded");
    const log = (await s.kubectl(["logs", "escape-pod", "-c", "step-try"])).stdout;
    assert.doesNotMatch(log, /REMOUNTED|WROTE-|READ-TOKEN/);
    assert.ok(!log.includes(s.token));
    assert.match(log, /^data dir entries: 0$/m);
    assert.match(log, /^CapEff:\s+0000000000000000$/m);
    assert.match(log, /^NoNewPrivs:\s+1$/m);
    assert.throws(() => readFileSync("/etc/tektite-escape"), /ENOENT/);
  });
});

void describe("results from sidecar logs", () => {
  let s: Served;
  let configDir: string;
  before(async () => {
    configDir = mkdtempSync(join(tmpdir(), "tektite-cfg-"));
    const config = join(configDir, "config.yaml");
    writeFileSync(config, 'featureFlags:\n  results-from: sidecar-logs\n  max-result-size: "4096"\n');
    s = await serve({ executor: "host", args: ["--config", config] });
  });
  after(async () => {
    await cleanup(s);
    rmSync(configDir, { recursive: true, force: true });
  });

  void it("fails a run with a result over max-result-size as TaskRunResultLargerThanAllowedLimit and stores none of it", async () => {
    const run = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: large
spec:
  taskSpec:
    results:
      - name: large
      - name: small
    steps:
      - name: write
        image: busybox
        script: |
          head -c 5000 /dev/zero | tr '\\0' a > $(results.large.path)
          printf ok > $(results.small.path)
`;
    const created = await s.kubectl(["create", "-f", "-"], run);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(await s.finished("large"), "TaskRunResultLargerThanAllowedLimit");
    assert.equal(
      await s.jsonpath("large", '{.status.conditions[?(@.type=="Succeeded")].message}'),
      '[User error]  TaskRun ""large"" failed: results size exceeds configured limit',
    );
    assert.doesNotMatch(await s.jsonpath("large", "{.status}"), /aaaa/);
    assert.equal(await s.jsonpath("large", '{.status.results[?(@.name=="small")].value}'), "ok");
  });
});
