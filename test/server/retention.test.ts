/**
 * Retention: `tektite serve --keep N` / `--keep-since D` prune finished runs as Tekton's pruner
 * does, and `tektite delete taskrun|pipelinerun --keep N` / `--keep-since` as tkn does; pruned runs
 * leave nothing behind (object, Events, pod directories and logs), running runs are never pruned,
 * a PipelineRun's TaskRuns go with it. Through a real server, kubectl and the CLI.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, tempDir } from "../helpers/cli.js";
import { cleanup, serve, type Served } from "../helpers/serve.js";

const taskRun = (
  name: string,
  script = "echo hello from $(context.taskRun.name)",
): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  taskSpec:
    steps:
      - name: say
        image: busybox
        script: ${JSON.stringify(script)}
`;

const pipelineRun = (name: string): string => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  pipelineSpec:
    tasks:
      - name: only
        taskSpec:
          steps:
            - name: say
              image: busybox
              script: echo from the pipeline
`;

async function create(s: Served, yaml: string): Promise<void> {
  const r = await s.kubectl(["create", "-f", "-"], yaml);
  assert.equal(r.code, 0, r.stderr);
}

async function names(s: Served, kind: string): Promise<string[]> {
  const r = await s.kubectl(["get", kind, "-o", "jsonpath={.items[*].metadata.name}"]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split(" ")
    .filter((n) => n !== "")
    .sort();
}

async function prFinished(s: Served, name: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const r = await s.kubectl(["get", "pipelinerun", name, "-o", "jsonpath={.status.completionTime}"]);
    if (r.code === 0 && r.stdout !== "") return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`PipelineRun ${name} did not finish`);
}

/** Waits until `probe` holds (pruning runs right after a run finishes, not within the request). */
async function eventually(what: string, probe: () => Promise<boolean> | boolean): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (await probe()) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail(`never true: ${what}`);
}

/** Waits until the wall clock enters a new second. */
async function nextSecond(): Promise<void> {
  await new Promise((res) => setTimeout(res, 1000 - (Date.now() % 1000) + 5));
}

async function eventsAbout(s: Served, name: string): Promise<string> {
  const r = await s.kubectl([
    "get",
    "events",
    "--field-selector",
    `involvedObject.name=${name}`,
    "-o",
    "jsonpath={.items[*].reason}",
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const podDirs = (s: Served): string[] => {
  const dir = join(s.dataDir, "pods", "default");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

void describe("tektite serve --keep", () => {
  void it("keeps the N most recent finished TaskRuns, removing the others with their events and pod directories, and never a running one", async (t) => {
    const s = await serve({ args: ["--keep", "2"] });
    t.after(() => cleanup(s));
    await create(s, taskRun("long", "sleep 60"));
    for (const name of ["first", "second", "third", "fourth"]) {
      // Start times have whole seconds; "most recent" is only defined across seconds.
      await nextSecond();
      await create(s, taskRun(name));
      assert.equal(await s.finished(name), "Succeeded");
    }
    await eventually("only the two newest finished runs and the running one are left", async () => {
      const left = await names(s, "taskruns");
      return left.join(",") === "fourth,long,third";
    });
    assert.equal(await eventsAbout(s, "first"), "");
    assert.match(await eventsAbout(s, "fourth"), /Succeeded/);
    await eventually("the pruned runs' pod directories are gone", () => {
      const dirs = podDirs(s);
      return !dirs.includes("first-pod") && !dirs.includes("second-pod");
    });
    assert.ok(podDirs(s).includes("fourth-pod"), `pod directories: ${podDirs(s).join(", ")}`);
    const logs = await s.kubectl(["logs", "fourth-pod", "-c", "step-say"]);
    assert.equal(logs.stdout, "hello from fourth\n");
  });

  void it("prunes PipelineRuns with their TaskRuns, and does not count a PipelineRun's TaskRuns as standalone ones", async (t) => {
    const s = await serve({ args: ["--keep", "1"] });
    t.after(() => cleanup(s));
    await create(s, taskRun("alone"));
    assert.equal(await s.finished("alone"), "Succeeded");
    for (const name of ["p1", "p2"]) {
      await create(s, pipelineRun(name));
      await prFinished(s, name);
    }
    await eventually("the older PipelineRun is pruned with its TaskRun", async () => {
      return (await names(s, "pipelineruns")).join(",") === "p2";
    });
    assert.deepEqual(await names(s, "taskruns"), ["alone", "p2-only"]);
    await eventually("the pruned child's pod directory is gone", () => !podDirs(s).includes("p1-only-pod"));
  });
});

const withClaim = (kind: "TaskRun" | "PipelineRun", name: string): string =>
  kind === "TaskRun"
    ? `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  workspaces:
    - name: data
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources: { requests: { storage: 1Mi } }
  taskSpec:
    workspaces: [{ name: data }]
    steps:
      - name: write
        image: busybox
        script: echo kept > $(workspaces.data.path)/file
`
    : `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  workspaces:
    - name: data
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources: { requests: { storage: 1Mi } }
  pipelineSpec:
    workspaces: [{ name: data }]
    tasks:
      - name: write
        workspaces: [{ name: data }]
        taskSpec:
          workspaces: [{ name: data }]
          steps:
            - name: write
              image: busybox
              script: echo kept > $(workspaces.data.path)/file
`;

void describe("claims go with their runs", () => {
  void it("removes the volumeClaimTemplate claims of pruned PipelineRuns and of a deleted TaskRun", async (t) => {
    const s = await serve({ args: ["--keep", "1"] });
    t.after(() => cleanup(s));
    const claimDirs = (): string[] => {
      const dir = join(s.dataDir, "pvcs", "default");
      return existsSync(dir) ? readdirSync(dir).sort() : [];
    };
    await create(s, withClaim("PipelineRun", "c1"));
    await prFinished(s, "c1");
    const first = claimDirs();
    assert.equal(first.length, 1, `claims: ${first.join(", ")}`);
    await create(s, withClaim("PipelineRun", "c2"));
    await prFinished(s, "c2");
    await eventually("c1 is pruned with its claim and the claim's data", async () => {
      const left = claimDirs();
      return (await names(s, "pipelineruns")).join(",") === "c2" && left.length === 1 && left[0] !== first[0];
    });
    assert.deepEqual(await names(s, "pvc"), claimDirs());

    await create(s, withClaim("TaskRun", "alone"));
    assert.equal(await s.finished("alone"), "Succeeded");
    const own = join(s.dataDir, "pods", "default", "alone-pod", "claims");
    assert.equal(readdirSync(own).length, 1, "the TaskRun's claim lives with it");
    const deleted = await s.kubectl(["delete", "taskrun", "alone"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    await eventually("the deleted TaskRun's claim is gone", () => !existsSync(own));
    assert.equal(claimDirs().length, 1, "a TaskRun's claim is not left among the shared claims");
  });
});

void describe("tektite serve --keep-since", () => {
  void it("prunes runs completed longer ago than the duration", async (t) => {
    const s = await serve({ args: ["--keep-since", "3s"] });
    t.after(() => cleanup(s));
    await create(s, taskRun("brief"));
    assert.equal(await s.finished("brief"), "Succeeded");
    assert.deepEqual(await names(s, "taskruns"), ["brief"]);
    await eventually(
      "the run is pruned once it is older than 3s",
      async () => (await names(s, "taskruns")).length === 0,
    );
    await eventually("its pod directory is gone", () => !podDirs(s).includes("brief-pod"));
  });

  void it("refuses --keep with --keep-since, as the pruner's validation does, with exit code 2", async (t) => {
    const dataDir = tempDir(t, "tektite-keep-both-");
    const r = await runCli([
      "serve",
      "--data-dir",
      dataDir,
      "--port",
      "0",
      "--keep",
      "1",
      "--keep-since",
      "1h",
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected exactly one, got both: --keep, --keep-since/);
  });
});

void describe("tektite delete --keep / --keep-since", () => {
  void it("deletes all but the N most recent completed TaskRuns, leaving running ones", async (t) => {
    const s = await serve();
    t.after(() => cleanup(s));
    await create(s, taskRun("busy", "sleep 60"));
    for (const name of ["a", "b", "c"]) {
      await create(s, taskRun(name));
      assert.equal(await s.finished(name), "Succeeded");
    }
    const env = { KUBECONFIG: s.env["KUBECONFIG"]! };
    const r = await runCli(["delete", "taskrun", "--keep", "1"], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'taskrun.tekton.dev "b" deleted\ntaskrun.tekton.dev "a" deleted\n');
    assert.deepEqual(await names(s, "taskruns"), ["busy", "c"]);
    const none = await runCli(["delete", "tr", "--keep-since", "60"], { env });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, "");
    const pr = await runCli(["delete", "pipelinerun", "--keep", "0"], { env });
    assert.equal(pr.code, 0, pr.stderr);
    const bad = await runCli(["delete", "task", "--keep", "1"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--keep and --keep-since apply to taskruns and pipelineruns/);
  });
});
