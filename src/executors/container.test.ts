import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ContainerExecutor } from "./container.js";
import { EngineCli } from "./container-engine.js";
import { Attempt, BUSYBOX, DEBIAN, leftovers, skipUnlessEngine } from "./container-testkit.js";

const skip = await skipUnlessEngine();
const namespace = `ctest-${randomBytes(3).toString("hex")}`;
const cli = new EngineCli("podman");
const executor = new ContainerExecutor({
  engine: "podman",
  pull: "never",
  imageMap: [
    { from: "mirror.gcr.io/ubuntu", to: DEBIAN },
    { from: "mirror.gcr.io/busybox", to: BUSYBOX },
    { from: "mirror.gcr.io/bash", to: "localhost/tektite/bash:5" },
    { from: "ghcr.io/tektoncd/pipeline/nop-*", to: "localhost/tektite/nop:latest" },
  ],
});
const never = new AbortController().signal;
const attempts: Attempt[] = [];
const attempt = (): Attempt => {
  const a = new Attempt(namespace);
  attempts.push(a);
  return a;
};

/** A step that allocates well over its 32 MiB memory limit. */
function oomStep(a: Attempt): ReturnType<Attempt["step"]> {
  return a.step("step-oom", DEBIAN, {
    command: ["python3", "-c", "x = bytearray(256 * 1024 * 1024)"],
    resources: { limits: { memory: "32Mi" } },
  });
}

void describe("ContainerExecutor with podman", { skip }, () => {
  after(async () => {
    for (const a of attempts) a.cleanup();
    assert.deepEqual(await leftovers(cli, namespace), [], "containers or pods left behind");
  });

  void it("runs steps in order, reporting exit codes and teeing stdout and stderr to the logs", async () => {
    const a = attempt();
    const pod = await executor.startPod(a.pod("streams"), never);
    try {
      const stdoutPath = join(a.dir, "out", "stdout.txt");
      const first = await pod.runStep(
        a.step("step-talk", BUSYBOX, {
          command: ["sh", "-c"],
          args: ["echo to-out; echo to-err >&2; exit 3"],
          stdoutFile: {
            root: a.dir,
            path: "out/stdout.txt",
            containerPath: "/out",
            field: "stdoutConfig.path",
          },
        }),
        never,
      );
      assert.equal(first.ended, "exited");
      assert.equal(first.exitCode, 3);
      assert.match(a.log("step-talk"), /to-out/);
      assert.match(a.log("step-talk"), /to-err/);
      assert.equal(readFileSync(stdoutPath, "utf8"), "to-out\n");
      assert.ok(
        a.logs.some((l) => l.container === "step-talk" && l.stream === "stderr" && l.text.includes("to-err")),
      );
      const second = await pod.runStep(a.step("step-ok", BUSYBOX, { command: ["true"] }), never);
      assert.deepEqual([second.ended, second.exitCode], ["exited", 0]);
      assert.ok(first.finishedAt <= second.startedAt);
    } finally {
      await pod.destroy();
    }
  });

  void it("resolves the command from the image like Tekton: CMD + args, ENTRYPOINT, bash's docker-entrypoint", async () => {
    const a = attempt();
    const pod = await executor.startPod(a.pod("entrypoints"), never);
    try {
      // busybox has no ENTRYPOINT: CMD ["sh"] + args.
      const digest =
        "mirror.gcr.io/busybox@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0";
      const busybox = await pod.runStep(
        a.step("step-busybox", digest, { args: ["-c", "echo hello"] }),
        never,
      );
      assert.equal(busybox.exitCode, 0);
      assert.equal(a.log("step-busybox"), "hello\n");
      assert.equal(busybox.imageID, digest);
      // nop has an ENTRYPOINT that exits 0.
      const nop = await pod.runStep(
        a.step("step-nop", "ghcr.io/tektoncd/pipeline/nop-8eac7c1@sha256:5a58"),
        never,
      );
      assert.deepEqual([nop.ended, nop.exitCode], ["exited", 0]);
      // bash: ENTRYPOINT docker-entrypoint.sh turns leading options into bash options.
      const bash = await pod.runStep(
        a.step("step-bash", "mirror.gcr.io/bash", { args: ["-c", "echo $((6 * 7)) ${BASH_VERSION%%.*}"] }),
        never,
      );
      assert.equal(bash.exitCode, 0);
      assert.equal(a.log("step-bash"), "42 5\n");
      // ubuntu stand-in: CMD /bin/bash + args.
      const ubuntu = await pod.runStep(
        a.step("step-ubuntu", "mirror.gcr.io/ubuntu", {
          args: ["-c", "echo $0; ps -o comm= -p $$ >/dev/null"],
        }),
        never,
      );
      assert.equal(ubuntu.exitCode, 0);
      assert.equal(a.log("step-ubuntu"), "/bin/bash\n");
      const missing = await pod.runStep(
        a.step("step-missing", BUSYBOX, { command: ["no-such-command"] }),
        never,
      );
      assert.equal(missing.ended, "startFailed");
      assert.match(missing.message ?? "", /no-such-command/);
    } finally {
      await pod.destroy();
    }
  });

  void it("mounts read-only mounts read-only, sets env and creates the working directory", async () => {
    const a = attempt();
    const ro = a.mkdir("ro");
    const rw = a.mkdir("rw");
    writeFileSync(join(ro, "given"), "x");
    const pod = await executor.startPod(a.pod("mounts"), never);
    try {
      const o = await pod.runStep(
        a.step("step-mounts", BUSYBOX, {
          command: ["sh", "-c"],
          args: [
            'cat /in/given; if touch /in/new 2>/dev/null; then echo ro-writable; fi; echo "$GREETING" > /out/file; pwd',
          ],
          env: [{ name: "GREETING", value: "hi there" }],
          workingDir: "/a/path/too/far",
          mounts: [
            { hostPath: ro, containerPath: "/in", readOnly: true },
            { hostPath: rw, containerPath: "/out", readOnly: false },
          ],
        }),
        never,
      );
      assert.equal(o.exitCode, 0);
      assert.equal(a.log("step-mounts"), "x/a/path/too/far\n");
      assert.equal(readFileSync(join(rw, "file"), "utf8"), "hi there\n");
      assert.equal(existsSync(join(ro, "new")), false);
    } finally {
      await pod.destroy();
    }
  });

  void it("runs sidecars that share localhost with the steps, gated by their readiness probe", async () => {
    const a = attempt();
    const server = a.step("sidecar-server", BUSYBOX, {
      command: ["sh", "-c"],
      args: ["sleep 1; touch /tmp/ready; while true; do echo from-sidecar | nc -l -p 8080; done"],
    });
    const quitter = a.step("sidecar-quitter", BUSYBOX, { command: ["sh", "-c", "exit 2"] });
    const plan = a.pod("sidecars", {
      sidecars: [
        { ...server, readinessProbe: { exec: { command: ["test", "-f", "/tmp/ready"] }, periodSeconds: 5 } },
        quitter,
      ],
    });
    const pod = await executor.startPod(plan, never);
    try {
      await pod.sidecarsReady(never);
      const o = await pod.runStep(
        a.step("step-client", BUSYBOX, { command: ["sh", "-c", "nc 127.0.0.1 8080 </dev/null"] }),
        never,
      );
      assert.equal(o.exitCode, 0);
      assert.equal(a.log("step-client"), "from-sidecar\n");
      const stopped = await pod.stopSidecars();
      const byName = Object.fromEntries(stopped.map((s) => [s.name, s]));
      assert.equal(byName["sidecar-server"]?.exitedBeforeStop, false);
      assert.equal(byName["sidecar-quitter"]?.exitedBeforeStop, true);
      assert.equal(byName["sidecar-quitter"]?.exitCode, 2);
    } finally {
      await pod.destroy();
    }
  });

  void it("runs as the securityContext's user and refuses root under runAsNonRoot", async () => {
    const a = attempt();
    const pod = await executor.startPod(
      a.pod("users", { podSecurityContext: { runAsUser: 1001, runAsNonRoot: true } }),
      never,
    );
    try {
      const own = await pod.runStep(
        a.step("step-own", BUSYBOX, { command: ["id", "-u"], securityContext: { runAsUser: 2000 } }),
        never,
      );
      const inherited = await pod.runStep(a.step("step-pod", BUSYBOX, { command: ["id", "-u"] }), never);
      assert.deepEqual([own.exitCode, inherited.exitCode], [0, 0]);
      assert.equal(a.log("step-own"), "2000\n");
      assert.equal(a.log("step-pod"), "1001\n");
      const root = await pod.runStep(
        a.step("step-root", BUSYBOX, { command: ["id"], securityContext: { runAsUser: 0 } }),
        never,
      );
      assert.equal(root.ended, "startFailed");
      assert.match(root.message ?? "", /non-root/);
    } finally {
      await pod.destroy();
    }
  });

  void it("reports OOM kills, missing images, step timeouts and aborts", async () => {
    const a = attempt();
    const pod = await executor.startPod(a.pod("failures"), never);
    try {
      const oom = await pod.runStep(oomStep(a), never);
      assert.equal(oom.ended, "oomKilled");
      const missing = await pod.runStep(a.step("step-missing", "registry.invalid/nothing:1"), never);
      assert.equal(missing.ended, "imagePullFailed");
      assert.match(missing.message ?? "", /registry\.invalid\/nothing:1.*pull policy of Never/);
      const slow = await pod.runStep(
        a.step("step-slow", BUSYBOX, { command: ["sleep", "1000"], timeoutMs: 300 }),
        never,
      );
      assert.equal(slow.ended, "stepTimeout");
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error("cancelled")), 300);
      const cancelled = await pod.runStep(
        a.step("step-cancelled", BUSYBOX, { command: ["sleep", "1000"] }),
        ac.signal,
      );
      assert.equal(cancelled.ended, "aborted");
    } finally {
      await pod.destroy();
    }
  });

  void it("runs an attempt without sidecars as plain containers: no engine pod, the pod's hostname, no network, shared volumes", async () => {
    const a = attempt();
    const shared = a.mkdir("shared");
    const mounts = [{ hostPath: shared, containerPath: "/shared", readOnly: false }];
    const pod = await executor.startPod(a.pod("podless"), never);
    try {
      const write = await pod.runStep(
        a.step("step-write", BUSYBOX, {
          command: ["sh", "-c"],
          args: ["hostname; ls /sys/class/net; echo from-first > /shared/note"],
          mounts,
        }),
        never,
      );
      assert.deepEqual([write.ended, write.exitCode], ["exited", 0]);
      assert.equal(a.log("step-write"), "podless\nlo\n");
      const read = await pod.runStep(
        a.step("step-read", BUSYBOX, { command: ["cat", "/shared/note"], mounts }),
        never,
      );
      assert.deepEqual([read.ended, read.exitCode], ["exited", 0]);
      assert.equal(a.log("step-read"), "from-first\n");
      const pods = await cli.exec(["pod", "ps", "--format", "{{.Name}}"]);
      assert.deepEqual(
        pods.stdout.split("\n").filter((n) => n.startsWith(`tektite-${namespace}-podless`)),
        [],
      );
    } finally {
      await pod.destroy();
    }
    assert.deepEqual(await leftovers(cli, namespace), []);
  });

  void it("with removeEndedSteps (one-shot runs, `run --rm`), reports exit codes, start failures, OOM kills and timeouts, and leaves nothing", async () => {
    const oneShot = new ContainerExecutor({ engine: "podman", pull: "never", removeEndedSteps: true });
    const a = attempt();
    const pod = await oneShot.startPod(a.pod("oneshot"), never);
    try {
      const failed = await pod.runStep(
        a.step("step-fail", BUSYBOX, { command: ["sh", "-c", "echo Error: mine >&2; exit 3"] }),
        never,
      );
      assert.deepEqual([failed.ended, failed.exitCode], ["exited", 3]);
      assert.match(a.log("step-fail"), /Error: mine/);
      const missing = await pod.runStep(
        a.step("step-missing", BUSYBOX, { command: ["no-such-binary"] }),
        never,
      );
      assert.equal(missing.ended, "startFailed", missing.message);
      assert.match(missing.message ?? "", /no-such-binary/);
      const workdir = await pod.runStep(
        a.step("step-workdir", BUSYBOX, { command: ["pwd"], workingDir: "/not/in/the/image" }),
        never,
      );
      assert.deepEqual([workdir.ended, workdir.exitCode], ["exited", 0]);
      assert.equal(a.log("step-workdir"), "/not/in/the/image\n");
      const oom = await pod.runStep(oomStep(a), never);
      assert.equal(oom.ended, "oomKilled");
      const slow = await pod.runStep(
        a.step("step-slow", BUSYBOX, { command: ["sleep", "1000"], timeoutMs: 300 }),
        never,
      );
      assert.equal(slow.ended, "stepTimeout");
    } finally {
      await pod.destroy();
    }
    assert.deepEqual(await leftovers(cli, namespace), []);
  });

  void it("adopts a pod-less attempt left by an earlier process and removes all of its containers", async () => {
    const a = attempt();
    const plan = a.pod("adopted");
    const first = await executor.startPod(plan, never);
    const done = await first.runStep(a.step("step-done", BUSYBOX, { command: ["true"] }), never);
    assert.equal(done.exitCode, 0);
    // The earlier process died while this step ran: its container outlives it.
    const slow = a.step("step-slow", BUSYBOX, { command: ["sh", "-c", "sleep 1; echo finished; exit 4"] });
    const abandoned = new AbortController();
    void first.runStep(slow, abandoned.signal);
    const running = async (): Promise<boolean> => {
      const ps = await cli.exec([
        "ps",
        "--filter",
        `label=io.tektite.pod-dir=${a.dir}`,
        "--format",
        "{{.Names}}",
      ]);
      return ps.stdout.includes("step-slow");
    };
    for (let i = 0; i < 100 && !(await running()); i++) await new Promise((r) => setTimeout(r, 50));
    const later = new ContainerExecutor({ engine: "podman", pull: "never" });
    const resumed = await later.resumePod(plan, never);
    assert.ok(resumed, "the attempt's containers are found");
    try {
      const outcome = await resumed.attachStep(slow, never);
      assert.deepEqual([outcome.ended, outcome.exitCode], ["exited", 4]);
      assert.match(a.log("step-slow"), /finished/);
    } finally {
      await resumed.destroy();
    }
    assert.deepEqual(await leftovers(cli, namespace), []);
  });

  void it("removes every container and the pod on destroy, even with a sidecar still running", async () => {
    const a = attempt();
    const plan = a.pod("cleanup", {
      sidecars: [a.step("sidecar-forever", BUSYBOX, { command: ["sleep", "1000"] })],
    });
    const pod = await executor.startPod(plan, never);
    await pod.sidecarsReady(never);
    await pod.runStep(a.step("step-one", BUSYBOX, { command: ["true"] }), never);
    await pod.destroy();
    await pod.destroy();
    assert.deepEqual(await leftovers(cli, namespace), []);
  });
});
