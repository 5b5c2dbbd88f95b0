import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import type { LogStream, OutputFile, PodHandle, PodPlan, SidecarPlan, StepPlan } from "./executor.js";
import { HostExecutor } from "./host.js";
import {
  containerLogPath,
  createPodLayout,
  implicitStepMounts,
  type PodLayout,
} from "../engine/taskrun/pod-layout.js";

const hostEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/home/tektite-test" };
const never = new AbortController().signal;

interface Ctx {
  dir: string;
  layout: PodLayout;
  pod: PodHandle;
  logs: Array<{ container: string; stream: LogStream; text: string }>;
  step: (name: string, over: Partial<StepPlan>) => StepPlan;
}

async function pod(
  t: { after: (fn: () => Promise<void> | void) => void },
  sidecars: (layout: PodLayout) => SidecarPlan[] = () => [],
  signal = never,
): Promise<Ctx> {
  const dir = mkdtempSync(join(tmpdir(), "tektite-host-"));
  const layout = createPodLayout(dir, ["step-a", "step-b"]);
  const logs: Ctx["logs"] = [];
  const plan: PodPlan = {
    name: "tr-pod",
    namespace: "default",
    dir,
    sidecars: sidecars(layout),
    onLog: (container, stream, chunk) => logs.push({ container, stream, text: chunk.toString() }),
  };
  const handle = await new HostExecutor({ sandbox: "none", hostEnv }).startPod(plan, signal);
  t.after(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const step = (name: string, over: Partial<StepPlan>): StepPlan => ({
    name,
    image: "ignored",
    args: [],
    env: [],
    mounts: implicitStepMounts(layout, 0, []),
    logPath: containerLogPath(layout, name),
    ...over,
  });
  return { dir, layout, pod: handle, logs, step };
}

/** Whether a process exists and is not a zombie waiting for a reaper. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function pids(file: string): number[] {
  return readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
}

void describe("host executor steps", () => {
  void it("is not sandboxed when asked for no sandbox", () => {
    const ex = new HostExecutor({ sandbox: "none", hostEnv });
    assert.equal(ex.kind, "host");
    assert.equal(ex.virtualPaths, false);
  });

  void it("reports the exit code and writes both streams to the log file and the listener", async (t) => {
    const c = await pod(t);
    const o = await c.pod.runStep(
      c.step("step-a", { command: ["sh", "-c", "echo out; echo err >&2; exit 3"] }),
      never,
    );
    assert.equal(o.ended, "exited");
    assert.equal(o.exitCode, 3);
    assert.ok(o.finishedAt.getTime() >= o.startedAt.getTime());
    const log = readFileSync(containerLogPath(c.layout, "step-a"), "utf8");
    assert.match(log, /out\n/);
    assert.match(log, /err\n/);
    assert.ok(
      c.logs.some((l) => l.container === "step-a" && l.stream === "stdout" && l.text.includes("out")),
    );
    assert.ok(
      c.logs.some((l) => l.container === "step-a" && l.stream === "stderr" && l.text.includes("err")),
    );
  });

  void it("appends stdout and stderr to their configured files, creating parent directories", async (t) => {
    const c = await pod(t);
    const stdoutPath = join(c.layout.workspace, "deep", "out.txt");
    const stderrPath = join(c.layout.workspace, "deep", "err.txt");
    writeFileSync(join(c.layout.workspace, "seed"), "");
    const file = (path: string, field: OutputFile["field"]): OutputFile => ({
      root: c.layout.workspace,
      path,
      containerPath: `/workspace/${path}`,
      field,
    });
    const step = c.step("step-a", {
      command: ["sh", "-c", "echo one; echo two >&2"],
      stdoutFile: file("deep/out.txt", "stdoutConfig.path"),
      stderrFile: file("deep/err.txt", "stderrConfig.path"),
    });
    await c.pod.runStep(step, never);
    await c.pod.runStep(step, never);
    assert.equal(readFileSync(stdoutPath, "utf8"), "one\none\n");
    assert.equal(readFileSync(stderrPath, "utf8"), "two\ntwo\n");
  });

  void it("runs args as the argv when there is no command", async (t) => {
    const c = await pod(t);
    const o = await c.pod.runStep(c.step("step-a", { args: ["sh", "-c", "echo via-args"] }), never);
    assert.equal(o.exitCode, 0);
    assert.equal(readFileSync(containerLogPath(c.layout, "step-a"), "utf8"), "via-args\n");
  });

  void it("fails to start a container with neither command nor args", async (t) => {
    const c = await pod(t);
    const o = await c.pod.runStep(c.step("step-a", {}), never);
    assert.equal(o.ended, "startFailed");
    assert.equal(o.exitCode, 1);
  });

  void it("fails to start a command that does not exist, as Tekton's entrypoint words it", async (t) => {
    const c = await pod(t);
    const missing = await c.pod.runStep(c.step("step-a", { command: ["tektite-no-such-command"] }), never);
    assert.equal(missing.ended, "startFailed");
    assert.equal(missing.exitCode, 1);
    assert.equal(
      missing.message,
      'Error executing command: exec: "tektite-no-such-command": executable file not found in $PATH',
    );
    const abs = await c.pod.runStep(c.step("step-a", { command: ["/no/such/binary"] }), never);
    assert.equal(
      abs.message,
      "Error executing command: fork/exec /no/such/binary: no such file or directory",
    );
  });

  void it("fails to start a file that is not executable or has no interpreter line", async (t) => {
    const c = await pod(t);
    const plain = join(c.layout.scripts, "plain");
    writeFileSync(plain, "#!/bin/sh\necho hi\n");
    const noShebang = join(c.layout.scripts, "blank-first");
    writeFileSync(noShebang, "\n#!/bin/sh\necho hi\n");
    chmodSync(noShebang, 0o755);
    const a = await c.pod.runStep(c.step("step-a", { command: [plain] }), never);
    assert.equal(a.ended, "startFailed");
    const b = await c.pod.runStep(c.step("step-a", { command: [noShebang] }), never);
    assert.equal(b.ended, "startFailed");
    assert.match(b.message ?? "", /exec format error$/);
  });

  void it("reports 128+N for a process killed by signal N that it did not get from us", async (t) => {
    const c = await pod(t);
    const o = await c.pod.runStep(c.step("step-a", { command: ["sh", "-c", "kill -9 $$"] }), never);
    assert.equal(o.ended, "exited");
    assert.equal(o.exitCode, 137);
  });

  void it("passes exactly the plan's env plus PATH and HOME from the host", async (t) => {
    const c = await pod(t);
    await c.pod.runStep(c.step("step-a", { command: ["env"], env: [{ name: "FOO", value: "bar" }] }), never);
    const lines = readFileSync(containerLogPath(c.layout, "step-a"), "utf8").trim().split("\n").sort();
    assert.deepEqual(lines, [`FOO=bar`, `HOME=${hostEnv.HOME}`, `PATH=${hostEnv.PATH}`]);
  });

  void it("lets the plan override HOME and PATH", async (t) => {
    const c = await pod(t);
    const env = [
      { name: "HOME", value: "/tekton/home" },
      { name: "PATH", value: hostEnv.PATH },
    ];
    await c.pod.runStep(c.step("step-a", { command: ["sh", "-c", "echo $HOME"], env }), never);
    assert.equal(readFileSync(containerLogPath(c.layout, "step-a"), "utf8"), "/tekton/home\n");
  });

  void it("maps working directories to the host: mounts, relative paths and other absolute paths", async (t) => {
    const c = await pod(t);
    const run = async (workingDir: string | undefined, name: string): Promise<string> => {
      await c.pod.runStep(
        c.step(name, { command: ["pwd"], ...(workingDir !== undefined ? { workingDir } : {}) }),
        never,
      );
      return readFileSync(containerLogPath(c.layout, name), "utf8").trim();
    };
    assert.equal(await run(undefined, "s1"), c.layout.workspace);
    assert.equal(await run("/workspace/src", "s2"), join(c.layout.workspace, "src"));
    assert.equal(await run("rel/dir", "s3"), join(c.layout.workspace, "rel", "dir"));
    assert.equal(await run("/a/path/too/far", "s4"), join(c.dir, "rootfs", "a", "path", "too", "far"));
    assert.equal(existsSync("/a/path/too/far"), false);
    assert.equal(await run(c.dir, "s5"), c.dir);
  });

  void it("kills the step's whole process group when its timeout elapses", async (t) => {
    const c = await pod(t);
    const pidFile = join(c.dir, "pids");
    const o = await c.pod.runStep(
      c.step("step-a", {
        command: ["sh", "-c", `sleep 100 & echo $$ $! > ${pidFile}; sleep 100`],
        timeoutMs: 300,
      }),
      never,
    );
    assert.equal(o.ended, "stepTimeout");
    for (const pid of pids(pidFile)) assert.equal(alive(pid), false, `pid ${pid} still running`);
  });

  void it("kills the step's whole process group at once when the signal fires", async (t) => {
    const c = await pod(t);
    const pidFile = join(c.dir, "pids");
    const ac = new AbortController();
    const step = c.step("step-a", {
      command: ["sh", "-c", `sleep 100 & echo $$ $! > ${pidFile}; echo started; sleep 100`],
    });
    const outcome = c.pod.runStep(step, ac.signal);
    await waitForLog(c, "started");
    ac.abort(new Error("cancelled"));
    const o = await outcome;
    assert.equal(o.ended, "aborted");
    for (const pid of pids(pidFile)) assert.equal(alive(pid), false, `pid ${pid} still running`);
  });

  void it("kills what a step left running in the background when its main process exits", async (t) => {
    const c = await pod(t);
    const pidFile = join(c.dir, "pids");
    const o = await c.pod.runStep(
      c.step("step-a", { command: ["sh", "-c", `sleep 100 & echo $! > ${pidFile}`] }),
      never,
    );
    assert.equal(o.ended, "exited");
    assert.equal(o.exitCode, 0);
    for (const pid of pids(pidFile)) assert.equal(alive(pid), false);
  });

  void it("does not start a step whose signal has already fired", async (t) => {
    const c = await pod(t);
    const marker = join(c.dir, "ran");
    const o = await c.pod.runStep(c.step("step-a", { command: ["touch", marker] }), AbortSignal.abort());
    assert.equal(o.ended, "aborted");
    assert.equal(existsSync(marker), false);
  });

  void it("destroy kills a running step", async (t) => {
    const c = await pod(t);
    const outcome = c.pod.runStep(
      c.step("step-a", { command: ["sh", "-c", "echo started; sleep 100"] }),
      never,
    );
    await waitForLog(c, "started");
    await c.pod.destroy();
    assert.equal((await outcome).ended, "aborted");
  });
});

async function waitForLog(c: Ctx, text: string): Promise<void> {
  while (!c.logs.some((l) => l.text.includes(text))) await new Promise((r) => setImmediate(r));
}

function sidecar(layout: PodLayout, name: string, over: Partial<SidecarPlan>): SidecarPlan {
  return {
    name,
    image: "ignored",
    args: [],
    env: [],
    mounts: [],
    logPath: containerLogPath(layout, name),
    ...over,
  };
}

void describe("host executor sidecars", () => {
  void it("waits for an exec readiness probe to pass before the steps run", async (t) => {
    let marker = "";
    const c = await pod(t, (layout) => {
      marker = join(layout.volumes, "ready");
      const probeScript = `n=$(cat ${marker}.count 2>/dev/null || echo 0); echo $((n+1)) > ${marker}.count; [ $n -ge 2 ] && touch ${marker}`;
      return [
        sidecar(layout, "sidecar-slow", {
          command: ["sleep", "100"],
          readinessProbe: { exec: { command: ["sh", "-c", probeScript] }, periodSeconds: 0.05 },
        }),
      ];
    });
    await c.pod.sidecarsReady(never);
    assert.ok(existsSync(marker), "probe passed before sidecarsReady resolved");
    assert.equal(readFileSync(`${marker}.count`, "utf8").trim(), "3");
    const [out] = await c.pod.stopSidecars();
    assert.equal(out?.name, "sidecar-slow");
    assert.equal(out?.exitedBeforeStop, false);
  });

  void it("counts a sidecar without a probe as ready once started, and stops it", async (t) => {
    const c = await pod(t, (layout) => [
      sidecar(layout, "sidecar-s", {
        command: ["sh", "-c", "echo $$ > pid; echo up; sleep 100"],
        workingDir: layout.dir,
      }),
    ]);
    await c.pod.sidecarsReady(never);
    await waitForLog(c, "up");
    const [out] = await c.pod.stopSidecars();
    assert.equal(out?.exitedBeforeStop, false);
    assert.equal(alive(pids(join(c.dir, "pid"))[0]!), false);
    assert.match(readFileSync(containerLogPath(c.layout, "sidecar-s"), "utf8"), /up/);
  });

  void it("reports the real exit code of a sidecar that ended by itself", async (t) => {
    const c = await pod(t, (layout) => [
      sidecar(layout, "sidecar-bad", {
        command: ["sh", "-c", "exit 3"],
        readinessProbe: { exec: { command: ["false"] } },
      }),
      sidecar(layout, "sidecar-missing", { command: ["tektite-no-such-command"] }),
    ]);
    await c.pod.sidecarsReady(never);
    const outs = await c.pod.stopSidecars();
    assert.deepEqual(
      outs.map((o) => [o.name, o.ended, o.exitCode, o.exitedBeforeStop]),
      [
        ["sidecar-bad", "exited", 3, true],
        ["sidecar-missing", "startFailed", 1, true],
      ],
    );
  });

  void it("rejects sidecarsReady with the abort reason while a probe never passes", async (t) => {
    const c = await pod(t, (layout) => [
      sidecar(layout, "sidecar-never", {
        command: ["sleep", "100"],
        readinessProbe: { exec: { command: ["false"] } },
      }),
    ]);
    const ac = new AbortController();
    const ready = c.pod.sidecarsReady(ac.signal);
    ac.abort(new Error("TaskRunTimeout"));
    await assert.rejects(ready, /TaskRunTimeout/);
    const [out] = await c.pod.stopSidecars();
    assert.equal(out?.exitedBeforeStop, false);
  });

  void it("waits for a tcpSocket probe against a port on this host", async (t) => {
    const server = createServer((sock) => sock.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    let connected = false;
    server.on("connection", () => (connected = true));
    const c = await pod(t, (layout) => [
      sidecar(layout, "sidecar-net", { command: ["sleep", "100"], readinessProbe: { tcpSocket: { port } } }),
    ]);
    await c.pod.sidecarsReady(never);
    assert.equal(connected, true);
  });
});
