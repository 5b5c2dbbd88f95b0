import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Mount, StepPlan } from "./executor.js";
import { HostExecutor } from "./host.js";
import {
  containerLogPath,
  createPodLayout,
  implicitStepMounts,
  type PodLayout,
} from "../engine/taskrun/pod-layout.js";
import { bwrapWorks, planSandbox, type EntryType, type HostView } from "./sandbox.js";

/** A fake host: paths to types, symlink targets; directory listings derived from the paths. */
function fakeHost(entries: Record<string, EntryType | { link: string }>): HostView {
  const type = (p: string): EntryType | undefined => {
    if (p === "/") return "dir";
    const e = entries[p];
    return e === undefined ? undefined : typeof e === "string" ? e : "symlink";
  };
  return {
    entryType: type,
    targetType: type,
    readlink: (p) => {
      const e = entries[p];
      if (e === undefined || typeof e === "string") throw new Error(`not a symlink: ${p}`);
      return e.link;
    },
    readdir: (p) => {
      const prefix = p === "/" ? "/" : p + "/";
      return Object.keys(entries)
        .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes("/"))
        .map((k) => k.slice(prefix.length))
        .sort();
    },
  };
}

const host = fakeHost({
  "/bin": { link: "usr/bin" },
  "/usr": "dir",
  "/usr/bin": "dir",
  "/usr/lib": "dir",
  "/usr/lib/libc.so": "file",
  "/etc": "dir",
  "/etc/passwd": "file",
  "/var": "dir",
  "/var/lib": "dir",
  "/var/log": "dir",
  "/var/run": { link: "/run" },
  "/run": "dir",
  "/run/lock": "dir",
  "/tmp": "dir",
  "/proc": "dir",
  "/dev": "dir",
});

const m = (containerPath: string, hostPath: string, readOnly = false): Mount => ({
  containerPath,
  hostPath,
  readOnly,
});

/** The bwrap ops as [op, ...operands] tuples. */
function ops(args: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length;) {
    const op = args[i]!;
    const n = op === "--dir" || op === "--tmpfs" || op === "--proc" || op === "--dev" ? 1 : 2;
    out.push(args.slice(i, i + 1 + n));
    i += 1 + n;
  }
  return out;
}

function indexOf(list: string[][], op: string[]): number {
  return list.findIndex((o) => o.length === op.length && o.every((x, i) => x === op[i]));
}

void describe("planSandbox", () => {
  void it("binds host top-level entries read-only, recreates symlinks, and gives fresh /proc, /dev and /tmp", () => {
    const plan = ops(planSandbox({ mounts: [] }, host).args);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/usr", "/usr"]) >= 0);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/etc", "/etc"]) >= 0);
    assert.ok(indexOf(plan, ["--symlink", "usr/bin", "/bin"]) >= 0);
    assert.ok(indexOf(plan, ["--proc", "/proc"]) >= 0);
    assert.ok(indexOf(plan, ["--dev", "/dev"]) >= 0);
    assert.ok(indexOf(plan, ["--tmpfs", "/tmp"]) >= 0);
    assert.equal(indexOf(plan, ["--ro-bind-try", "/tmp", "/tmp"]), -1);
  });

  void it("mounts a path missing at the root straight into the sandbox root", () => {
    const plan = ops(planSandbox({ mounts: [m("/workspace", "/h/ws")] }, host).args);
    assert.ok(indexOf(plan, ["--bind", "/h/ws", "/workspace"]) >= 0);
  });

  void it("replaces a host directory lacking the mount point by a tmpfs holding its children", () => {
    const result = planSandbox({ mounts: [m("/var/secret", "/h/sec", true)] }, host);
    const plan = ops(result.args);
    assert.equal(indexOf(plan, ["--ro-bind-try", "/var", "/var"]), -1);
    const tmpfs = indexOf(plan, ["--tmpfs", "/var"]);
    assert.ok(tmpfs >= 0);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/var/lib", "/var/lib"]) > tmpfs);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/var/log", "/var/log"]) > tmpfs);
    assert.ok(indexOf(plan, ["--symlink", "/run", "/var/run"]) > tmpfs);
    assert.ok(indexOf(plan, ["--ro-bind", "/h/sec", "/var/secret"]) > tmpfs);
    assert.deepEqual(result.hostDirs, []);
  });

  void it("expands only the deepest existing directory and keeps its ancestors bound", () => {
    const plan = ops(planSandbox({ mounts: [m("/usr/lib/x/y", "/h/y")] }, host).args);
    const usr = indexOf(plan, ["--ro-bind", "/usr", "/usr"]);
    const lib = indexOf(plan, ["--tmpfs", "/usr/lib"]);
    assert.ok(usr >= 0 && lib > usr);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/usr/lib/libc.so", "/usr/lib/libc.so"]) > lib);
    const x = indexOf(plan, ["--dir", "/usr/lib/x"]);
    assert.ok(x > lib);
    assert.ok(indexOf(plan, ["--bind", "/h/y", "/usr/lib/x/y"]) > x);
    assert.equal(indexOf(plan, ["--tmpfs", "/usr"]), -1);
  });

  void it("still binds a directory that was walked through before its parent was expanded", () => {
    const plan = ops(
      planSandbox({ mounts: [m("/usr/lib/libc.so", "/h/libc")], dirs: ["/usr/x"] }, host).args,
    );
    const usr = indexOf(plan, ["--tmpfs", "/usr"]);
    assert.ok(usr >= 0);
    const lib = indexOf(plan, ["--ro-bind", "/usr/lib", "/usr/lib"]);
    assert.ok(lib > usr);
    assert.ok(indexOf(plan, ["--bind", "/h/libc", "/usr/lib/libc.so"]) > lib);
    assert.ok(indexOf(plan, ["--ro-bind-try", "/usr/bin", "/usr/bin"]) > usr);
    assert.ok(indexOf(plan, ["--dir", "/usr/x"]) > usr);
  });

  void it("follows host symlinks to place a mount where the container would see it", () => {
    const plan = ops(planSandbox({ mounts: [m("/var/run/sock", "/h/sock")] }, host).args);
    assert.ok(indexOf(plan, ["--tmpfs", "/run"]) >= 0);
    assert.ok(indexOf(plan, ["--bind", "/h/sock", "/run/sock"]) >= 0);
    assert.equal(indexOf(plan, ["--tmpfs", "/var"]), -1);
  });

  void it("mounts over an existing host path without expanding anything", () => {
    const plan = ops(planSandbox({ mounts: [m("/etc", "/h/etc", true)] }, host).args);
    assert.ok(indexOf(plan, ["--ro-bind", "/h/etc", "/etc"]) >= 0);
    assert.equal(indexOf(plan, ["--ro-bind-try", "/etc", "/etc"]), -1);
  });

  void it("creates mount points of nested mounts inside the parent mount's host directory", () => {
    const view = fakeHost({ "/usr": "dir", "/h/file": "file", "/h/dir": "dir" });
    const result = planSandbox(
      {
        mounts: [m("/workspace/a/b", "/h/dir"), m("/workspace", "/h/ws", true), m("/workspace/c", "/h/file")],
      },
      view,
    );
    const plan = ops(result.args);
    const ws = indexOf(plan, ["--ro-bind", "/h/ws", "/workspace"]);
    assert.ok(ws >= 0);
    assert.ok(indexOf(plan, ["--bind", "/h/dir", "/workspace/a/b"]) > ws);
    assert.ok(indexOf(plan, ["--bind", "/h/file", "/workspace/c"]) > ws);
    assert.deepEqual(result.hostDirs, ["/h/ws/a/b"]);
    assert.deepEqual(result.hostFiles, ["/h/ws/c"]);
  });

  void it("makes a working directory outside every mount as tmpfs directories, parents first", () => {
    const result = planSandbox({ mounts: [], dirs: ["/a/path/too/far"] }, host);
    const plan = ops(result.args);
    const order = ["/a", "/a/path", "/a/path/too", "/a/path/too/far"].map((d) => indexOf(plan, ["--dir", d]));
    assert.ok(order.every((i) => i >= 0));
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      order,
    );
    assert.deepEqual(result.hostDirs, []);
  });

  void it("makes a working directory inside a mount on the host, in the mount", () => {
    const result = planSandbox({ mounts: [m("/workspace", "/h/ws")], dirs: ["/workspace/src/app"] }, host);
    assert.deepEqual(result.hostDirs, ["/h/ws/src/app"]);
  });
});

/** Host pids of live (non-zombie) processes whose argv is exactly `argv`. */
function liveProcessesWithArgs(argv: string[]): number[] {
  const want = argv.join("\0") + "\0";
  const out: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue;
      if (readFileSync(`/proc/${e}/cmdline`, "utf8") === want) out.push(Number(e));
    } catch {
      continue; // the process ended while we looked
    }
  }
  return out;
}

const bwrapReady = bwrapWorks("bwrap", { PATH: process.env.PATH ?? "/usr/bin:/bin" });
// Under CI the sandbox tests must run: a missing bubblewrap fails instead of skipping.
const inCI = process.env.CI === "true";
const skip = bwrapReady || inCI ? false : "bwrap is missing or cannot create a sandbox here";

if (inCI && !bwrapReady) {
  void it("needs a working bubblewrap under CI", () => {
    assert.fail("bwrap is missing or cannot create a sandbox here, and CI=true");
  });
}

void describe("sandboxed host executor", { skip }, () => {
  const hostEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

  async function run(
    t: { after: (fn: () => void) => void },
    script: string,
    extra: { mounts?: Mount[]; workingDir?: string; command?: string[]; timeoutMs?: number } = {},
  ): Promise<{ code: number; ended: string; log: string; layout: PodLayout; message?: string }> {
    const dir = mkdtempSync(join(tmpdir(), "tektite-sandbox-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const layout = createPodLayout(dir, ["step-s"]);
    const exec = new HostExecutor({ sandbox: "bwrap", hostEnv });
    assert.equal(exec.virtualPaths, true);
    const pod = await exec.startPod(
      { name: "p", namespace: "default", dir, sidecars: [] },
      new AbortController().signal,
    );
    const user = extra.mounts ?? [];
    const step: StepPlan = {
      name: "step-s",
      image: "busybox",
      command: extra.command ?? ["sh", "-c", script],
      args: [],
      env: [],
      mounts: [
        ...implicitStepMounts(
          layout,
          0,
          user.map((u) => u.containerPath),
        ),
        ...user,
      ],
      logPath: containerLogPath(layout, "step-s"),
      ...(extra.workingDir !== undefined ? { workingDir: extra.workingDir } : {}),
      ...(extra.timeoutMs !== undefined ? { timeoutMs: extra.timeoutMs } : {}),
    };
    try {
      const o = await pod.runStep(step, new AbortController().signal);
      const log = existsSync(step.logPath) ? readFileSync(step.logPath, "utf8") : "";
      return { code: o.exitCode, ended: o.ended, log, layout, ...(o.message ? { message: o.message } : {}) };
    } finally {
      await pod.destroy();
    }
  }

  void it("shows the step /workspace and /tekton/results at their Tekton paths", async (t) => {
    const r = await run(
      t,
      "echo built > /workspace/out && printf v > /tekton/results/r && ls /tekton/steps/step-s",
    );
    assert.equal(r.code, 0, r.log);
    assert.equal(readFileSync(join(r.layout.workspace, "out"), "utf8"), "built\n");
    assert.equal(readFileSync(join(r.layout.results, "r"), "utf8"), "v");
    assert.match(r.log, /results/);
  });

  void it("rejects writes to a read-only mount", async (t) => {
    const r = await run(t, "touch /tekton/scripts/x");
    assert.notEqual(r.code, 0);
    assert.match(r.log, /Read-only file system/);
  });

  void it("mounts a volume at a path missing on the host and leaves nothing behind there", async (t) => {
    const target = "/var/tektite-test-secret";
    assert.equal(existsSync(target), false);
    const src = mkdtempSync(join(tmpdir(), "tektite-secret-"));
    t.after(() => rmSync(src, { recursive: true, force: true }));
    writeFileSync(join(src, "token"), "s3cret");
    const r = await run(t, `cat ${target}/token && ls /var >/dev/null`, {
      mounts: [{ hostPath: src, containerPath: target, readOnly: true }],
    });
    assert.equal(r.code, 0, r.log);
    assert.equal(r.log, "s3cret");
    assert.equal(existsSync(target), false);
  });

  void it("runs in an absolute working directory that does not exist on the host", async (t) => {
    const r = await run(t, "pwd", { workingDir: "/a/path/too/far" });
    assert.equal(r.code, 0, r.log);
    assert.equal(r.log, "/a/path/too/far\n");
    assert.equal(existsSync("/a/path/too/far"), false);
  });

  void it("creates a relative working directory inside the workspace", async (t) => {
    const r = await run(t, "pwd && touch here", { workingDir: "src/app" });
    assert.equal(r.log, "/workspace/src/app\n");
    assert.ok(existsSync(join(r.layout.workspace, "src", "app", "here")));
  });

  void it("gives each container a private /tmp", async (t) => {
    const name = `tektite-private-${process.pid}`;
    const r = await run(t, `echo x > /tmp/${name} && cat /tmp/${name}`);
    assert.equal(r.code, 0, r.log);
    assert.equal(existsSync(join("/tmp", name)), false);
  });

  void it("fails to start a script whose interpreter does not exist in the sandbox", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-scripts-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "s"));
    writeFileSync(join(dir, "s", "run"), "#!/no/such/shell\necho hi\n");
    chmodSync(join(dir, "s", "run"), 0o755);
    const r = await run(t, "", {
      command: ["/opt/tektite-scripts/run"],
      mounts: [{ hostPath: join(dir, "s"), containerPath: "/opt/tektite-scripts", readOnly: true }],
    });
    assert.equal(r.ended, "startFailed");
    assert.equal(r.code, 1);
    assert.match(
      r.message ?? "",
      /^Error executing command: fork\/exec \/opt\/tektite-scripts\/run: no such file or directory/,
    );
  });

  void it("fails to start a command that is not on the PATH", async (t) => {
    const r = await run(t, "", { command: ["tektite-no-such-command"] });
    assert.equal(r.ended, "startFailed");
    assert.equal(
      r.message,
      'Error executing command: exec: "tektite-no-such-command": executable file not found in $PATH',
    );
  });

  void it("runs a sidecar's exec probe in the sidecar's view of its volumes", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-sandbox-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const layout = createPodLayout(dir, ["step-check"]);
    const shared = join(layout.volumes, "shared");
    mkdirSync(shared);
    const mount: Mount = { hostPath: shared, containerPath: "/shared", readOnly: false };
    const exec = new HostExecutor({ sandbox: "bwrap", hostEnv });
    const pod = await exec.startPod(
      {
        name: "p",
        namespace: "default",
        dir,
        sidecars: [
          {
            name: "sidecar-slow",
            image: "ubuntu",
            command: ["sleep", "100"],
            args: [],
            env: [],
            mounts: [mount],
            logPath: containerLogPath(layout, "sidecar-slow"),
            readinessProbe: { exec: { command: ["sh", "-c", "touch /shared/ready"] }, timeoutSeconds: 10 },
          },
        ],
      },
      new AbortController().signal,
    );
    t.after(() => pod.destroy());
    await pod.sidecarsReady(new AbortController().signal);
    const o = await pod.runStep(
      {
        name: "step-check",
        image: "ubuntu",
        command: ["cat", "/shared/ready"],
        args: [],
        env: [],
        mounts: [...implicitStepMounts(layout, 0, ["/shared"]), mount],
        logPath: containerLogPath(layout, "step-check"),
      },
      new AbortController().signal,
    );
    assert.equal(o.exitCode, 0);
    assert.ok(existsSync(join(shared, "ready")));
    const [sc] = await pod.stopSidecars();
    assert.equal(sc?.exitedBeforeStop, false);
  });

  void it("kills the whole sandboxed tree when a step times out", async (t) => {
    const marker = String(900000 + (process.pid % 99999));
    const r = await run(t, `sleep ${marker} & sleep ${marker}`, { timeoutMs: 300 });
    assert.equal(r.ended, "stepTimeout");
    assert.deepEqual(liveProcessesWithArgs(["sleep", marker]), []);
  });
});
