import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerExecutor } from "./container.js";
import { EngineCli } from "./container-engine.js";
import { Attempt, BUSYBOX, leftovers, skipUnlessEngine } from "./container-testkit.js";

const skip =
  (await skipUnlessEngine()) ||
  (existsSync("/usr/local/bin/docker") || existsSync("/usr/bin/docker") ? false : "no docker CLI");
const namespace = `dtest-${randomBytes(3).toString("hex")}`;
const never = new AbortController().signal;

void describe(
  "ContainerExecutor with the docker CLI (against podman's Docker-compatible service)",
  { skip },
  () => {
    const sockDir = mkdtempSync(join(tmpdir(), "tektite-docker-"));
    const env = { ...process.env, DOCKER_HOST: `unix://${join(sockDir, "docker.sock")}` };
    let service: ChildProcess | undefined;
    const cli = new EngineCli("docker", { env });
    const attempt = new Attempt(namespace);

    before(async () => {
      service = spawn("podman", ["system", "service", "--time=0", env.DOCKER_HOST], { stdio: "ignore" });
      for (let i = 0; i < 100; i++) {
        if ((await cli.exec(["version", "--format", "{{.Server.Version}}"])).code === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("podman system service did not answer");
    });

    after(async () => {
      try {
        assert.deepEqual(await leftovers(cli, namespace), [], "containers left behind");
      } finally {
        service?.kill("SIGTERM");
        attempt.cleanup();
        rmSync(sockDir, { recursive: true, force: true });
      }
    });

    void it("runs a sidecar and steps sharing localhost, reports exit codes, and removes everything", async () => {
      const executor = new ContainerExecutor({ engine: "docker", pull: "never", env });
      const server = attempt.step("sidecar-server", BUSYBOX, {
        command: ["sh", "-c", "while true; do echo pong | nc -l -p 9090; done"],
      });
      const pod = await executor.startPod(attempt.pod("docker", { sidecars: [server] }), never);
      try {
        await pod.sidecarsReady(never);
        const client = await pod.runStep(
          attempt.step("step-client", BUSYBOX, {
            command: ["sh", "-c", "until nc 127.0.0.1 9090 </dev/null; do sleep 0.2; done"],
          }),
          never,
        );
        assert.equal(client.exitCode, 0);
        assert.equal(attempt.log("step-client"), "pong\n");
        const cmdArgs = await pod.runStep(
          attempt.step("step-args", BUSYBOX, { args: ["-c", "echo hello; exit 4"] }),
          never,
        );
        assert.deepEqual([cmdArgs.ended, cmdArgs.exitCode], ["exited", 4]);
        assert.equal(attempt.log("step-args"), "hello\n");
        const slow = await pod.runStep(
          attempt.step("step-slow", BUSYBOX, { command: ["sleep", "1000"], timeoutMs: 300 }),
          never,
        );
        assert.equal(slow.ended, "stepTimeout");
        const [sidecar] = await pod.stopSidecars();
        assert.equal(sidecar?.exitedBeforeStop, false);
      } finally {
        await pod.destroy();
      }
    });
  },
);
