/**
 * Hermetic execution (`experimental.tekton.dev/execution-mode: hermetic`, alpha): the steps run
 * without any network and see `TEKTON_HERMETIC=1`; sidecars keep theirs — through `tektite run`
 * on the host executor (bubblewrap) and on podman.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, runTaskRuns } from "../helpers/cli.js";

function run(name: string, hermetic: boolean, port: number): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
${hermetic ? "  annotations:\n    experimental.tekton.dev/execution-mode: hermetic\n" : ""}spec:
  taskSpec:
    sidecars:
      - name: web
        image: busybox
        script: |
          mkdir -p /tmp/www && echo served > /tmp/www/index.html
          awk 'NR > 2 { print $1 }' /proc/net/dev > /tmp/www/ifaces
          exec httpd -f -p 127.0.0.1:${port} -h /tmp/www
        readinessProbe:
          tcpSocket:
            port: ${port}
    steps:
      - name: probe
        image: busybox
        script: |
          echo "hermetic=\${TEKTON_HERMETIC:-unset}"
          echo "interfaces: $(awk 'NR > 2 { printf "%s ", $1 }' /proc/net/dev)"
          if printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 ${port} > /tmp/reply 2>&1; then
            tail -n 1 /tmp/reply; echo reached
          else
            echo unreachable
          fi
`;
}

for (const executor of ["host", "podman"] as const) {
  describe(`hermetic TaskRuns (${executor} executor)`, async () => {
    const skip = executor === "podman" ? await skipUnlessEngine() : false;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const args = [
      "--executor",
      executor,
      "--feature-gate",
      "alpha",
      ...(executor === "host" ? ["--sandbox", "bwrap"] : []),
    ];

    it(
      "runs the steps without network and with TEKTON_HERMETIC=1, while the sidecar keeps its network",
      { skip },
      async (t) => {
        const r = await runTaskRuns(t, run("sealed", true, port), args);
        assert.equal(r.code, 0, r.stderr);
        const [tr] = r.objects();
        assert.equal(condition(tr!).status, "True");
        const log = readFileSync(
          join(r.dataDir, "pods", "default", "sealed-pod", "logs", "step-probe.log"),
          "utf8",
        );
        assert.match(log, /^hermetic=1\n/);
        assert.match(log, /^interfaces: lo: \n/m, "only a loopback of its own");
        assert.match(log, /unreachable\n$/, log);
      },
    );

    it(
      "without the annotation, the same step reaches the sidecar and has no TEKTON_HERMETIC",
      { skip },
      async (t) => {
        const r = await runTaskRuns(t, run("open", false, port + 1), args);
        assert.equal(r.code, 0, r.stderr);
        const log = readFileSync(
          join(r.dataDir, "pods", "default", "open-pod", "logs", "step-probe.log"),
          "utf8",
        );
        assert.match(log, /^hermetic=unset\n/);
        assert.match(log, /served\nreached\n$/);
      },
    );
  });
}
