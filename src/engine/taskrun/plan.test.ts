import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  ConfigMap,
  Secret,
  ServiceAccount,
  StepAction,
  Task,
  TaskRun,
  TaskSpec,
} from "../../api/types.js";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import type { StepPlan } from "../../executors/executor.js";
import { DiskOp, type DiskEffect } from "./disk-effects.js";
import { RunPreparationError } from "./failure.js";
import { DEFAULT_RUN_LIMITS } from "./limits.js";
import { planRun, type PlanInput, type RunObjects, type RunPlan } from "./plan.js";
import { ContainerConfigError } from "./env.js";

// Nothing here touches the disk: the data directory does not exist, and the plan only names paths in it.
const DATA = "/nonexistent/tektite-plan";
const DIR = `${DATA}/pods/default/run-pod`;

interface Objects {
  tasks?: Task[];
  stepActions?: StepAction[];
  configMaps?: ConfigMap[];
  secrets?: Secret[];
  serviceAccounts?: ServiceAccount[];
}

function objectsOf(o: Objects): RunObjects {
  const find =
    <T extends { metadata: { name?: string } }>(list: T[] | undefined) =>
    (name: string): T | undefined =>
      list?.find((x) => x.metadata.name === name);
  return {
    task: find(o.tasks),
    stepAction: find(o.stepActions),
    configMap: find(o.configMaps),
    secret: find(o.secrets),
    serviceAccount: find(o.serviceAccounts),
  };
}

function taskRun(spec: TaskRun["spec"], name = "run"): TaskRun {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { name, namespace: "default", uid: "u-1" },
    spec,
  };
}

function plan(tr: TaskRun, objects: Objects = {}, over: Partial<PlanInput> = {}): RunPlan {
  let n = 0;
  return planRun({
    tr,
    objects: objectsOf(objects),
    podName: "run-pod",
    dataDir: DATA,
    virtualPaths: true,
    features: defaultFeatureFlags(),
    defaults: defaultConfigDefaults(),
    limits: DEFAULT_RUN_LIMITS,
    // Deterministic generated names: "aaaaa", "bbbbb", …
    randomHex: (chars) => String.fromCharCode(97 + n++).repeat(chars),
    ...over,
  });
}

const step = (p: RunPlan, i = 0): StepPlan => p.run.attempt.steps[i]!.plan;
const env = (s: StepPlan): Record<string, string> => Object.fromEntries(s.env.map((e) => [e.name, e.value]));
const mountAt = (s: { mounts: StepPlan["mounts"] }, path: string) =>
  s.mounts.find((m) => m.containerPath === path);
const written = (p: RunPlan, path: string) =>
  p.effects.find(
    (e): e is Extract<DiskEffect, { op: "writeFile" }> => e.op === DiskOp.WriteFile && e.path === path,
  );
const made = (p: RunPlan, path: string) =>
  p.effects.find((e): e is Extract<DiskEffect, { op: "mkdir" }> => e.op === DiskOp.Mkdir && e.path === path);

void describe("planRun", () => {
  void it("substitutes string and array params into args, env and the script it records", () => {
    const spec: TaskSpec = {
      params: [
        { name: "greeting", type: "string", default: "hello" },
        { name: "flags", type: "array" },
      ],
      steps: [
        {
          name: "greet",
          image: "busybox",
          script: "echo $(params.greeting) $(context.taskRun.name)",
          env: [{ name: "GREETING", value: "$(params.greeting)" }],
        },
        { name: "list", image: "busybox", command: ["ls"], args: ["$(params.flags[*])", "/"] },
      ],
    };
    const p = plan(taskRun({ taskSpec: spec, params: [{ name: "flags", value: ["-l", "-a"] }] }));
    assert.deepEqual(step(p).command, ["/tekton/scripts/script-0-aaaaa"]);
    assert.equal(env(step(p))["GREETING"], "hello");
    const script = written(p, `${DIR}/scripts/script-0-aaaaa`);
    assert.equal(script?.content, "#!/bin/sh\nset -e\necho hello run");
    assert.equal(script?.chmod, 0o755);
    assert.deepEqual(step(p, 1).command, ["ls"]);
    assert.deepEqual(step(p, 1).args, ["-l", "-a", "/"]);
    assert.equal(p.run.statusSpec.steps?.[1]?.args?.join(" "), "-l -a /");
    assert.deepEqual(
      p.run.initialSteps.map((s) => [s.name, s.container]),
      [
        ["greet", "step-greet"],
        ["list", "step-list"],
      ],
    );
  });

  void it("without a sandbox a script runs from its host path and params reach host paths", () => {
    const spec: TaskSpec = {
      steps: [{ name: "s", image: "busybox", script: "cat $(results.out.path)" }],
      results: [{ name: "out", type: "string" }],
    };
    const p = plan(taskRun({ taskSpec: spec }), {}, { virtualPaths: false });
    assert.deepEqual(step(p).command, [`${DIR}/scripts/script-0-aaaaa`]);
    assert.equal(
      written(p, `${DIR}/scripts/script-0-aaaaa`)?.content,
      `#!/bin/sh\nset -e\ncat ${DIR}/results/out`,
    );
    assert.equal(p.run.attempt.resultsDir, `${DIR}/results`);
    assert.deepEqual(p.run.attempt.fileResults, [{ name: "out", type: "string" }]);
  });

  void it("lays out the pod: removes an earlier attempt first, then Tekton's directories and step links", () => {
    const longName = "x".repeat(60);
    const p = plan(taskRun({ taskSpec: { steps: [{ name: longName, image: "busybox", script: "true" }] } }));
    assert.deepEqual(p.effects[0], { op: DiskOp.RemoveTree, path: DIR });
    assert.equal(made(p, `${DIR}/workspace`)?.chmod, 0o777);
    assert.ok(made(p, `${DIR}/run/0/status/results`));
    const links = p.effects.filter((e) => e.op === DiskOp.Symlink);
    // The directory link keeps the whole `step-<name>`; only the container name is cut to 63.
    assert.deepEqual(
      links.map((l) => [l.path, l.target]),
      [
        [`${DIR}/steps/step-${longName}`, "../run/0/status"],
        [`${DIR}/steps/0`, "../run/0/status"],
      ],
    );
    assert.equal(p.run.attempt.steps[0]?.container, `step-${longName}`.slice(0, 63));
    assert.equal(p.run.attempt.steps[0]?.statusDir, `${DIR}/run/0/status`);
  });

  void it("resuming an attempt keeps its directory", () => {
    const p = plan(taskRun({ taskSpec: { steps: [{ image: "busybox" }] } }), {}, { resume: true });
    assert.equal(
      p.effects.some((e) => e.op === DiskOp.RemoveTree),
      false,
    );
    assert.equal(p.run.attempt.steps[0]?.statusName, "unnamed-0");
  });

  void it("step results: $(step.results.<r>.path) names the step's own directory", () => {
    const spec: TaskSpec = {
      steps: [
        {
          name: "produce",
          image: "busybox",
          results: [{ name: "digest", type: "string" }],
          script: "printf d > $(step.results.digest.path)",
        },
        { name: "consume", image: "busybox", args: ["$(steps.produce.results.digest)"] },
      ],
    };
    const p = plan(taskRun({ taskSpec: spec }));
    assert.match(
      written(p, `${DIR}/scripts/script-0-aaaaa`)?.content ?? "",
      /> \/tekton\/steps\/step-produce\/results\/digest$/,
    );
    assert.deepEqual(p.run.attempt.steps[0]?.results, [{ name: "digest", type: "string" }]);
    // Read from the first step's results only when the second one starts (the entrypoint's job).
    assert.deepEqual(step(p, 1).args, ["$(steps.produce.results.digest)"]);
    assert.equal(p.run.attempt.steps[1]?.resolveAtRuntime, undefined);
  });

  void it("a referenced Task and StepAction become the steps, with the Task's labels", () => {
    const task: Task = {
      apiVersion: "tekton.dev/v1",
      kind: "Task",
      metadata: { name: "build", labels: { team: "a" } },
      spec: {
        params: [{ name: "target", type: "string" }],
        steps: [
          { name: "compile", ref: { name: "make" }, params: [{ name: "goal", value: "$(params.target)" }] },
        ],
      },
    };
    const action: StepAction = {
      apiVersion: "tekton.dev/v1beta1",
      kind: "StepAction",
      metadata: { name: "make" },
      spec: {
        image: "gcc",
        params: [{ name: "goal", type: "string" }],
        command: ["make"],
        args: ["$(params.goal)"],
      },
    };
    const p = plan(taskRun({ taskRef: { name: "build" }, params: [{ name: "target", value: "all" }] }), {
      tasks: [task],
      stepActions: [action],
    });
    assert.equal(p.run.taskName, "build");
    assert.equal(p.run.inline, false);
    assert.deepEqual(p.run.labels, { team: "a" });
    assert.equal(step(p).image, "gcc");
    assert.deepEqual([step(p).command, step(p).args], [["make"], ["all"]]);
    assert.equal(step(p).name, "step-compile");
  });

  void it("workspaces: an emptyDir directory, ConfigMap files, mounts and $(workspaces.<w>.path)", () => {
    const cm: ConfigMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "default" },
      data: { "app.conf": "level=debug\n", other: "x" },
    };
    const spec: TaskSpec = {
      workspaces: [{ name: "src" }, { name: "config", mountPath: "/etc/app", readOnly: true }],
      steps: [{ name: "s", image: "busybox", env: [{ name: "SRC", value: "$(workspaces.src.path)" }] }],
    };
    const p = plan(
      taskRun({
        taskSpec: spec,
        workspaces: [
          { name: "src", emptyDir: {} },
          {
            name: "config",
            configMap: { name: "settings", items: [{ key: "app.conf", path: "conf/app.conf" }] },
          },
        ],
      }),
      { configMaps: [cm] },
    );
    assert.equal(env(step(p))["SRC"], "/workspace/src");
    assert.equal(made(p, `${DIR}/workspaces/src`)?.chmod, 0o777);
    assert.deepEqual(mountAt(step(p), "/workspace/src"), {
      hostPath: `${DIR}/workspaces/src`,
      containerPath: "/workspace/src",
      readOnly: false,
    });
    const file = written(p, `${DIR}/volumes/ws-config/conf/app.conf`);
    assert.deepEqual([file?.content, file?.chmod], ["level=debug\n", 0o644]);
    assert.equal(
      p.effects.some((e) => e.op === DiskOp.WriteFile && e.path.endsWith("/other")),
      false,
    );
    assert.deepEqual(mountAt(step(p), "/etc/app"), {
      hostPath: `${DIR}/volumes/ws-config`,
      containerPath: "/etc/app",
      readOnly: true,
    });
  });

  void it("without a sandbox a workspace at the default path is reached through a link", () => {
    const spec: TaskSpec = { workspaces: [{ name: "src" }], steps: [{ name: "s", image: "busybox" }] };
    const p = plan(
      taskRun({
        taskSpec: spec,
        workspaces: [{ name: "src", persistentVolumeClaim: { claimName: "cache" } }],
      }),
      {},
      { virtualPaths: false },
    );
    assert.ok(made(p, `${DATA}/pvcs/default/cache`));
    const link = p.effects.find((e) => e.op === DiskOp.Symlink && e.path === `${DIR}/workspace/src`);
    assert.deepEqual(link, {
      op: DiskOp.Symlink,
      target: `${DATA}/pvcs/default/cache`,
      path: `${DIR}/workspace/src`,
      keepExisting: false,
    });
  });

  void it("sidecars: their scripts, the scripts mount, and which ones appear in status", () => {
    const spec: TaskSpec = {
      steps: [{ name: "s", image: "busybox", script: "true" }],
      sidecars: [{ name: "db", image: "postgres", script: "exec postgres" }, { image: "redis" }],
    };
    const p = plan(taskRun({ taskSpec: spec }));
    const [db, unnamed] = p.run.attempt.pod.sidecars;
    assert.equal(db?.name, "sidecar-db");
    assert.deepEqual(db?.command, ["/tekton/scripts/sidecar-script-0-bbbbb"]);
    assert.deepEqual(mountAt(db!, "/tekton/scripts")?.readOnly, true);
    assert.equal(
      written(p, `${DIR}/scripts/sidecar-script-0-bbbbb`)?.content,
      "#!/bin/sh\nset -e\nexec postgres",
    );
    assert.equal(unnamed?.name, "sidecar");
    assert.deepEqual(p.run.attempt.sidecarStatusNames, ["db", undefined]);
  });

  void it("credentials: the ServiceAccount's annotated Secrets become files in each step's /tekton/creds", () => {
    const secret: Secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "git-auth",
        namespace: "default",
        annotations: { "tekton.dev/git-0": "https://git.example.com" },
      },
      type: "kubernetes.io/basic-auth",
      stringData: { username: "bot", password: "s3cret" },
    };
    const sa: ServiceAccount = {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "builder", namespace: "default" },
      secrets: [{ name: "git-auth" }],
    };
    const spec: TaskSpec = {
      steps: [
        { name: "a", image: "alpine/git" },
        { name: "b", image: "alpine/git", securityContext: { runAsUser: 1000 } },
      ],
    };
    const p = plan(taskRun({ taskSpec: spec, serviceAccountName: "builder" }), {
      secrets: [secret],
      serviceAccounts: [sa],
    });
    for (const i of [0, 1]) {
      const dir = `${DIR}/creds/${i}`;
      assert.equal(step(p, i).credsHome, dir);
      assert.deepEqual(mountAt(step(p, i), "/tekton/creds"), {
        hostPath: dir,
        containerPath: "/tekton/creds",
        readOnly: false,
      });
      assert.equal(made(p, dir)?.mode, 0o700);
      const creds = written(p, `${dir}/.git-credentials`);
      assert.equal(creds?.content, "https://bot:s3cret@git.example.com\n");
      assert.deepEqual([creds?.mode, creds?.chmod], [0o600, 0o600]);
    }
    assert.equal(written(p, `${DIR}/creds/0/.git-credentials`)?.owner, undefined);
    assert.deepEqual(written(p, `${DIR}/creds/1/.git-credentials`)?.owner, { uid: 1000, gid: 1000 });
  });

  void it("a run that cannot start is refused before anything is planned on the host", () => {
    const spec: TaskSpec = { params: [{ name: "p", type: "string" }], steps: [{ image: "busybox" }] };
    assert.throws(
      () => plan(taskRun({ taskSpec: spec })),
      (err: unknown) =>
        err instanceof RunPreparationError &&
        err.message ===
          "invalid input params for task run: missing values for these params which have no default values: [p]",
    );
    assert.throws(
      () => plan(taskRun({ taskSpec: { steps: [{ image: "busybox" }] }, serviceAccountName: "nobody" })),
      (err: unknown) =>
        err instanceof RunPreparationError && err.message.includes('serviceaccounts "nobody" not found'),
    );
    assert.throws(
      () =>
        plan(
          taskRun({
            taskSpec: { workspaces: [{ name: "w" }], steps: [{ image: "busybox" }] },
            workspaces: [{ name: "w", configMap: { name: "absent" } }],
          }),
        ),
      (err: unknown) => err instanceof ContainerConfigError && err.message === 'configmap "absent" not found',
    );
  });
});
