/**
 * A TaskRun author attacking `tektite serve` from inside a step, on both executors: results that
 * are links to host files, results too large to hold, hostPath volumes, the loopback API.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { cleanup, serve, visibleDataDir, type Served } from "../helpers/serve.js";

const linksRun = (dataDir: string): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: links
spec:
  taskSpec:
    results:
      - name: passwd
      - name: token
      - name: shadow
      - name: fine
    steps:
      - name: link
        image: busybox
        results:
          - name: own
        script: |
          ln -sf /etc/passwd $(results.passwd.path)
          ln -sf ${dataDir}/token $(results.token.path)
          ln -sf /etc/shadow $(results.shadow.path)
          ln -sf /etc/passwd $(step.results.own.path)
          mkfifo /tekton/results/fine
      - name: swap-dir
        image: busybox
        results:
          - name: passwd
        script: |
          d=$(dirname $(step.results.passwd.path))
          rm -rf "$d" && ln -s /etc "$d"
`;

const bigRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: big
spec:
  taskSpec:
    results:
      - name: big
    steps:
      - name: fill
        image: busybox
        script: head -c 50000000 /dev/zero > $(results.big.path)
      - name: after
        image: busybox
        script: echo never runs
`;

const hostPathRun = (name: string, path: string, where: "taskSpec" | "podTemplate"): string => {
  const volumes = `    volumes:
      - name: host
        hostPath:
          path: ${path}
`;
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${where === "podTemplate" ? `  podTemplate:\n${volumes}` : ""}  taskSpec:
${where === "taskSpec" ? volumes : ""}    steps:
      - name: look
        image: busybox
        volumeMounts:
          - name: host
            mountPath: /host
        script: cat /host/note.txt
`;
};

for (const executor of ["host", "podman"] as const) {
  void describe(`hostile steps on the ${executor} executor`, async () => {
    const skip = executor === "podman" ? await skipUnlessEngine() : false;
    let s: Served;
    let allowed: string;
    before(async () => {
      if (skip !== false) return;
      allowed = mkdtempSync(join("/var/tmp", "tektite-allowed-"));
      writeFileSync(join(allowed, "note.txt"), "allowed host file\n");
      s = await serve({
        executor,
        dataDir: visibleDataDir("tektite-hostile-"),
        args: ["--allow-host-path", allowed],
      });
    });
    after(async () => {
      if (skip !== false) return;
      await cleanup(s);
      rmSync(allowed, { recursive: true, force: true });
    });

    void it(
      "never reads a result through a link or from a FIFO: host files and the token stay out of the status",
      { skip },
      async () => {
        const created = await s.kubectl(["create", "-f", "-"], linksRun(s.dataDir));
        assert.equal(created.code, 0, created.stderr);
        assert.equal(await s.finished("links"), "Succeeded");
        const status = await s.jsonpath("links", "{.status}");
        assert.doesNotMatch(status, /root:/);
        assert.ok(!status.includes(s.token), "the API token leaked into the status");
        assert.equal(await s.jsonpath("links", "{.status.results}"), "");
        assert.equal(await s.jsonpath("links", "{.status.steps[*].results}"), "");
        const log = await s.kubectl(["logs", "links-pod", "-c", "step-link"]);
        assert.match(log.stdout, /result "passwd" is not a regular file: not read as a result/);
        assert.match(log.stdout, /step result "own" is not a regular file/);
        const swapLog = await s.kubectl(["logs", "links-pod", "-c", "step-swap-dir"]);
        assert.match(swapLog.stdout, /step result "passwd" is not a regular file/);
      },
    );

    void it(
      "fails a run whose 50 MB result overflows the termination message, stores nothing of it and keeps serving",
      { skip },
      async () => {
        const created = await s.kubectl(["create", "-f", "-"], bigRun);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(await s.finished("big"), "StepFailed");
        assert.equal(
          await s.jsonpath("big", '{.status.conditions[?(@.type=="Succeeded")].message}'),
          '"step-fill" exited with code 1: Error',
        );
        assert.equal(await s.jsonpath("big", "{.status.results}"), "");
        assert.equal(await s.jsonpath("big", "{.status.steps[1].terminationReason}"), "Skipped");
        const whole = await s.kubectl(["get", "taskrun", "big", "-o", "json"]);
        assert.ok(whole.stdout.length < 64 * 1024, `the stored TaskRun is ${whole.stdout.length} bytes`);
        const log = await s.kubectl(["logs", "big-pod", "-c", "step-fill"]);
        assert.match(
          log.stdout,
          /Termination message is above max allowed size 4096, caused by large task result\./,
        );
        const list = await s.kubectl(["get", "taskruns", "-o", "name"]);
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, /taskrun.tekton.dev\/big/);
      },
    );

    for (const where of ["taskSpec", "podTemplate"] as const) {
      void it(
        `refuses a hostPath volume in the ${where} outside the allow-list with Pod Security's message`,
        { skip },
        async () => {
          const name = `root-${where.toLowerCase()}`;
          const created = await s.kubectl(["create", "-f", "-"], hostPathRun(name, "/", where));
          assert.equal(created.code, 0, created.stderr);
          assert.equal(await s.finished(name), "PodCreationFailed");
          assert.equal(
            await s.jsonpath(name, '{.status.conditions[?(@.type=="Succeeded")].message}'),
            `failed to create task run pod "${name}": pods "${name}-pod" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (volume "host"). Maybe invalid TaskSpec`,
          );
        },
      );
    }

    void it("honours a hostPath volume under an allowed host path", { skip }, async () => {
      const created = await s.kubectl(["create", "-f", "-"], hostPathRun("allowed", allowed, "taskSpec"));
      assert.equal(created.code, 0, created.stderr);
      assert.equal(await s.finished("allowed"), "Succeeded");
      const log = await s.kubectl(["logs", "allowed-pod", "-c", "step-look"]);
      assert.equal(log.stdout, "allowed host file\n");
      const escape = await s.kubectl(
        ["create", "-f", "-"],
        hostPathRun("dotdot", `${allowed}/../..`, "taskSpec"),
      );
      assert.equal(escape.code, 0, escape.stderr);
      assert.equal(await s.finished("dotdot"), "PodCreationFailed");
    });

    if (executor === "podman") {
      void it("keeps container steps off the server's loopback API", { skip }, async () => {
        const port = new URL(s.url).port;
        const run = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: reach
spec:
  taskSpec:
    steps:
      - name: call
        image: busybox
        script: |
          if echo | nc -w 2 127.0.0.1 ${port} >/dev/null 2>&1; then echo REACHED-API; else echo no route to the API; fi
`;
        const created = await s.kubectl(["create", "-f", "-"], run);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(await s.finished("reach"), "Succeeded");
        const log = await s.kubectl(["logs", "reach-pod", "-c", "step-call"]);
        assert.equal(log.stdout, "no route to the API\n");
      });
    }
  });
}
