/**
 * Debugging a TaskRun through `tektite serve` with the real kubectl: breakpoints on failure and
 * before steps (spec.debug, alpha), `kubectl exec` into the halted step over the WebSocket
 * protocol (plain and on a terminal), Tekton's debug scripts, the TaskRun timeout while halted —
 * on the host executor (bubblewrap) and on podman.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { TaskRun } from "../../src/api/types.js";
import { defaultFeatureFlags, type FeatureFlags } from "../../src/config/features.js";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { createContainerExecutor } from "../../src/executors/container-factory.js";
import type { Executor } from "../../src/executors/executor.js";
import { HostExecutor } from "../../src/executors/host.js";
import { ResourceTypes } from "../../src/store/index.js";
import { startEngineHarness, type EngineHarness } from "./harness.js";
import { onTerminal, waitFor } from "./debug-helpers.js";

const FEATURES: FeatureFlags = { ...defaultFeatureFlags(), enableApiFields: "alpha" };
const HALTED = "debug onFailure breakpoint has taken effect, waiting for user's decision:";
const BEFORE = "debug before step breakpoint has taken effect, waiting for user's decision:";

function failingRun(name: string, extra = ""): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${extra}  debug:
    breakpoints:
      onFailure: enabled
  taskSpec:
    steps:
      - name: first
        image: busybox
        script: |
          echo hello > /workspace/marker
          echo failing
          exit 3
      - name: second
        image: busybox
        script: echo second ran
`;
}

function beforeStepRun(name: string): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  debug:
    breakpoints:
      onFailure: enabled
      beforeSteps: [second]
  taskSpec:
    steps:
      - name: first
        image: busybox
        script: echo first ran
      - name: second
        image: busybox
        script: echo second ran
      - name: third
        image: busybox
        script: echo third ran
`;
}

async function executorFor(kind: "host" | "podman"): Promise<Executor> {
  if (kind === "host") {
    return new HostExecutor({ sandbox: "bwrap", hostEnv: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
  }
  const ex = await createContainerExecutor("podman");
  if (ex === undefined) throw new Error("podman does not work here");
  return ex;
}

for (const kind of ["host", "podman"] as const) {
  describe(`debugging a TaskRun through tektite serve (${kind} executor)`, async () => {
    const skip = kind === "podman" ? await skipUnlessEngine() : false;
    let h: EngineHarness;
    const log = (pod: string, container: string): string => {
      const p = join(h.dataDir, "pods", "default", pod, "logs", `${container}.log`);
      return existsSync(p) ? readFileSync(p, "utf8") : "";
    };
    const tr = (name: string): TaskRun => {
      const t = h.store.get<TaskRun>(ResourceTypes.TaskRun, "default", name);
      assert.ok(t, `TaskRun ${name} exists`);
      return t;
    };
    const condition = (name: string) => tr(name).status?.conditions?.find((c) => c.type === "Succeeded");
    const done = (name: string) =>
      waitFor(() => condition(name)?.status !== "Unknown" && condition(name) !== undefined, `${name} done`);
    const halted = (name: string, container: string, text = HALTED) =>
      waitFor(() => log(`${name}-pod`, container).includes(text), `${name}/${container} halted`);

    before(async () => {
      if (skip !== false) return;
      h = await startEngineHarness({ features: FEATURES, executor: await executorFor(kind) });
    });
    after(async () => {
      if (skip !== false) return;
      await h.close();
    });

    it(
      "halts the failed first step; kubectl exec shows its files; debug-continue runs the next step and the TaskRun succeeds",
      { skip },
      async () => {
        const applied = await h.kubectl(["apply", "-f", "-"], failingRun("cont"));
        assert.equal(applied.code, 0, applied.stderr);
        await halted("cont", "step-first");
        const c = condition("cont");
        assert.equal(c?.status, "Unknown");
        assert.equal(c?.reason, "Running");
        const steps = tr("cont").status?.steps ?? [];
        assert.ok(steps[0]?.running, "the halted step is shown running");
        assert.equal(steps[1]?.terminated, undefined, "the next step has not run (nor been skipped)");
        const pods = await h.kubectl(["get", "pods", "cont-pod"]);
        assert.match(pods.stdout, /cont-pod\s+\S+\s+Running/);

        const marker = await h.kubectl([
          "exec",
          "cont-pod",
          "-c",
          "step-first",
          "--",
          "cat",
          "/workspace/marker",
        ]);
        assert.equal(marker.code, 0, marker.stderr);
        assert.equal(marker.stdout, "hello\n");
        const scripts = await h.kubectl([
          "exec",
          "cont-pod",
          "-c",
          "step-first",
          "--",
          "ls",
          "/tekton/debug/scripts",
          "/tekton/debug/info",
        ]);
        assert.equal(scripts.code, 0, scripts.stderr);
        assert.match(scripts.stdout, /debug-continue\ndebug-fail-continue/);
        assert.match(scripts.stdout, /\/tekton\/debug\/info:\n0\n/);
        const failing = await h.kubectl([
          "exec",
          "cont-pod",
          "-c",
          "step-first",
          "--",
          "sh",
          "-c",
          "echo oops >&2; exit 4",
        ]);
        assert.equal(failing.code, 4);
        assert.match(failing.stderr, /oops\n/);
        assert.match(failing.stderr, /command terminated with exit code 4/);

        const cont = await h.kubectl([
          "exec",
          "cont-pod",
          "-c",
          "step-first",
          "--",
          "/tekton/debug/scripts/debug-continue",
        ]);
        assert.equal(cont.code, 0, cont.stderr);
        assert.equal(cont.stdout, "Executing step 0...\n");
        await done("cont");
        assert.equal(condition("cont")?.status, "True", JSON.stringify(condition("cont")));
        const final = tr("cont").status?.steps ?? [];
        assert.equal(final[0]?.terminated?.exitCode, 0);
        assert.equal(final[1]?.terminated?.reason, "Completed");
        assert.equal(log("cont-pod", "step-second"), "second ran\n");
        assert.match(log("cont-pod", "step-first"), /^failing\n.*debug onFailure breakpoint/s);
        assert.match(log("cont-pod", "step-first"), /Breakpoint exiting with exit code 0\n$/);
        assert.equal(
          readFileSync(
            join(h.dataDir, "pods", "default", "cont-pod", "run", "0", "out.breakpointexit"),
            "utf8",
          ),
          "0\n",
        );

        const afterwards = await h.kubectl(["exec", "cont-pod", "-c", "step-first", "--", "ls"]);
        assert.equal(afterwards.code, 1);
        assert.match(
          afterwards.stderr,
          /cannot exec into a container in a completed pod; current phase is Succeeded/,
        );
      },
    );

    it(
      "debug-fail-continue fails the halted step as Tekton does, and the later steps still run",
      { skip },
      async () => {
        await h.kubectl(["apply", "-f", "-"], failingRun("failc"));
        await halted("failc", "step-first");
        const r = await h.kubectl([
          "exec",
          "failc-pod",
          "-c",
          "step-first",
          "--",
          "/tekton/debug/scripts/debug-fail-continue",
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, "Executing step 0...\n");
        await done("failc");
        const c = condition("failc");
        assert.equal(c?.status, "False");
        assert.equal(c?.reason, "StepFailed");
        assert.equal(c?.message, '"step-first" exited with code 1: Error');
        const steps = tr("failc").status?.steps ?? [];
        assert.equal(steps[0]?.terminated?.exitCode, 1);
        assert.equal(steps[1]?.terminated?.reason, "Completed");
        assert.equal(log("failc-pod", "step-second"), "second ran\n");
        assert.ok(existsSync(join(h.dataDir, "pods", "default", "failc-pod", "run", "0", "out.err")));
      },
    );

    it(
      "waits before a beforeSteps step with Tekton's message; debug-beforestep-continue runs it",
      { skip },
      async () => {
        await h.kubectl(["apply", "-f", "-"], beforeStepRun("bcont"));
        await halted("bcont", "step-second", BEFORE);
        assert.equal(log("bcont-pod", "step-first"), "first ran\n");
        assert.match(
          log("bcont-pod", "step-second"),
          /1\) continue, use cmd: \/tekton\/debug\/scripts\/debug-beforestep-continue\n2\) fail-continue, use cmd: \/tekton\/debug\/scripts\/debug-beforestep-fail-continue\n$/,
        );
        assert.equal(condition("bcont")?.status, "Unknown");
        const r = await h.kubectl([
          "exec",
          "bcont-pod",
          "-c",
          "step-second",
          "--",
          "/tekton/debug/scripts/debug-beforestep-continue",
        ]);
        assert.equal(r.stdout, "Executing step 1...\n", r.stderr);
        await done("bcont");
        assert.equal(condition("bcont")?.status, "True");
        assert.match(log("bcont-pod", "step-second"), /second ran\n$/);
        assert.equal(log("bcont-pod", "step-third"), "third ran\n");
      },
    );

    it("debug-beforestep-fail-continue does not run the step and fails the TaskRun", { skip }, async () => {
      await h.kubectl(["apply", "-f", "-"], beforeStepRun("bfail"));
      await halted("bfail", "step-second", BEFORE);
      await h.kubectl([
        "exec",
        "bfail-pod",
        "-c",
        "step-second",
        "--",
        "/tekton/debug/scripts/debug-beforestep-fail-continue",
      ]);
      await done("bfail");
      const c = condition("bfail");
      assert.equal(c?.status, "False");
      assert.equal(c?.message, '"step-second" exited with code 1: Error');
      const second = log("bfail-pod", "step-second");
      assert.doesNotMatch(second, /second ran/);
      assert.match(second, /Skipping execute step script because before step breakpoint fail-continue\n$/);
    });

    it("still applies the TaskRun timeout while a step is halted, and keeps its logs", { skip }, async () => {
      await h.kubectl(["apply", "-f", "-"], failingRun("tmo", "  timeout: 4s\n"));
      await halted("tmo", "step-first");
      await done("tmo");
      const c = condition("tmo");
      assert.equal(c?.reason, "TaskRunTimeout");
      assert.match(log("tmo-pod", "step-first"), /^failing\n.*debug onFailure breakpoint/s);
      const logs = await h.kubectl(["logs", "tmo-pod", "-c", "step-first"]);
      assert.match(logs.stdout, /failing\n/);
    });

    it("cancels a halted TaskRun and keeps its step logs", { skip }, async () => {
      await h.kubectl(["apply", "-f", "-"], failingRun("cnl"));
      await halted("cnl", "step-first");
      const patch = await h.kubectl([
        "patch",
        "taskrun",
        "cnl",
        "--type=merge",
        "-p",
        '{"spec":{"status":"TaskRunCancelled"}}',
      ]);
      assert.equal(patch.code, 0, patch.stderr);
      await done("cnl");
      assert.equal(condition("cnl")?.reason, "TaskRunCancelled");
      const logs = await h.kubectl(["logs", "cnl-pod", "-c", "step-first"]);
      assert.match(logs.stdout, /^failing\n.*debug onFailure breakpoint/s);
    });

    it(
      "gives kubectl exec -it a shell on a terminal: its size, Ctrl-C and its exit code",
      { skip },
      async (t) => {
        await h.kubectl(["apply", "-f", "-"], failingRun("tty"));
        await halted("tty", "step-first");
        const term = onTerminal("stty cols 91 rows 27; kubectl exec -it tty-pod -c step-first -- sh", h.env);
        t.after(() => term.kill());
        await term.waitFor(/# /);
        term.write("stty size; cat /workspace/marker\n");
        await term.waitFor(/27 91\r*\n/);
        await term.waitFor(/hello\r*\n/);
        term.write("sleep 60\n");
        await new Promise((r) => setTimeout(r, 500));
        term.write("\x03");
        await term.waitFor(/\^C/);
        term.write("exit 7\n");
        const code = await term.exited;
        assert.equal(code, 7, term.output());
        assert.match(term.output(), /command terminated with exit code 7/);
        await h.kubectl([
          "exec",
          "tty-pod",
          "-c",
          "step-first",
          "--",
          "/tekton/debug/scripts/debug-continue",
        ]);
        await done("tty");
      },
    );

    if (kind === "host") {
      it(
        "refuses exec without the token and into a container that is not a step or sidecar",
        { skip },
        async () => {
          await h.kubectl(["apply", "-f", "-"], failingRun("auth"));
          await halted("auth", "step-first");
          const upgrade = {
            connection: "Upgrade",
            upgrade: "websocket",
            "sec-websocket-version": "13",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
            "sec-websocket-protocol": "v5.channel.k8s.io",
          };
          const path =
            "/api/v1/namespaces/default/pods/auth-pod/exec?container=step-first&command=ls&stdout=true";
          const anonymous = await h.http("GET", path, { token: null, headers: upgrade });
          assert.equal(anonymous.status, 401);
          assert.match(anonymous.body, /"reason":"Unauthorized"/);
          const wrong = await h.http("GET", path, { token: "nope", headers: upgrade });
          assert.equal(wrong.status, 401);
          const other = await h.kubectl(["exec", "auth-pod", "-c", "place-scripts", "--", "ls"]);
          assert.notEqual(other.code, 0);
          assert.match(other.stderr, /container place-scripts is not valid for pod auth-pod/);
          const caps = await h.kubectl([
            "exec",
            "auth-pod",
            "-c",
            "step-first",
            "--",
            "grep",
            "CapEff",
            "/proc/self/status",
          ]);
          assert.match(
            caps.stdout,
            /^CapEff:\s+0+\n$/,
            "exec gets no more privileges than the sandboxed step",
          );
          await h.kubectl([
            "exec",
            "auth-pod",
            "-c",
            "step-first",
            "--",
            "/tekton/debug/scripts/debug-fail-continue",
          ]);
          await done("auth");
        },
      );
    }
  });
}
