/**
 * Remote resolution in `tektite serve`: objects applied with kubectl resolve in the server with
 * the server's config, and the ResolutionRequests are served (`kubectl get resolutionrequests`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { succeededCondition } from "../../src/api/conditions.js";
import type { KubeObject } from "../../src/api/types.js";
import { defaultFeatureFlags } from "../../src/config/features.js";
import { provenanceFeatureFlags } from "../../src/config/provenance-flags.js";
import { defaultResolverSettings } from "../../src/config/resolvers.js";
import { ResourceTypes, type ResourceType } from "../../src/store/index.js";
import { startEngineHarness, type EngineHarness } from "../server/harness.js";
import { gitRepo, type GitRepo } from "./standins.js";

async function waitDone(h: EngineHarness, type: ResourceType, name: string): Promise<KubeObject> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const o = h.store.get<KubeObject>(type, "default", name);
    const c = o === undefined ? undefined : succeededCondition((o as { status?: never }).status);
    if (o !== undefined && c !== undefined && c.status !== "Unknown") return o;
    if (Date.now() > deadline) throw new Error(`${name} did not finish: ${JSON.stringify(o)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("remote resolution in tektite serve", () => {
  let h: EngineHarness;
  let repo: GitRepo;
  let commit: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tektite-serve-resolution-"));
    repo = gitRepo(join(dir, "repo"));
    commit = repo.commit({
      "task.yaml": `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: remote-hello
spec:
  steps:
    - name: hello
      image: busybox
      script: echo hello from git
`,
      "stepaction.yaml": `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: remote-action
spec:
  image: busybox
  script: echo action from git
`,
      "pipeline.yaml": `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: remote-pipeline
spec:
  tasks:
    - name: only
      taskRef:
        resolver: git
        params:
          - { name: url, value: "file://${join(dir, "repo")}" }
          - { name: revision, value: main }
          - { name: pathInRepo, value: task.yaml }
`,
    });
    h = await startEngineHarness({ engine: { resolvers: defaultResolverSettings() } });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a Task, a StepAction and a Pipeline applied with kubectl and lists their ResolutionRequests", async () => {
    const gitParams = (path: string, indent = 6): string =>
      [
        `{ name: url, value: "file://${repo.dir}" }`,
        "{ name: revision, value: main }",
        `{ name: pathInRepo, value: ${path} }`,
      ]
        .map((p) => `${" ".repeat(indent)}- ${p}\n`)
        .join("");
    const applied = await h.kubectl(
      ["apply", "-f", "-"],
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: task-from-git
spec:
  taskRef:
    resolver: git
    params:
${gitParams("task.yaml")}---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: action-from-git
spec:
  taskSpec:
    steps:
      - name: act
        ref:
          resolver: git
          params:
${gitParams("stepaction.yaml", 12)}---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: pipeline-from-git
spec:
  pipelineRef:
    resolver: git
    params:
${gitParams("pipeline.yaml")}`,
    );
    assert.equal(applied.code, 0, applied.stderr);
    for (const [type, name] of [
      [ResourceTypes.TaskRun, "task-from-git"],
      [ResourceTypes.TaskRun, "action-from-git"],
      [ResourceTypes.PipelineRun, "pipeline-from-git"],
    ] as const) {
      const done = await waitDone(h, type, name);
      assert.equal(
        succeededCondition((done as { status?: never }).status)?.reason,
        "Succeeded",
        JSON.stringify(done),
      );
    }
    const tr = h.store.get<KubeObject & { status: { provenance: unknown } }>(
      ResourceTypes.TaskRun,
      "default",
      "task-from-git",
    )!;
    assert.deepEqual(tr.status.provenance, {
      refSource: { uri: `git+file://${repo.dir}`, digest: { sha1: commit }, entryPoint: "task.yaml" },
      featureFlags: provenanceFeatureFlags(defaultFeatureFlags()),
    });
    const pr = h.store.get<KubeObject & { status: { provenance: Record<string, unknown> } }>(
      ResourceTypes.PipelineRun,
      "default",
      "pipeline-from-git",
    )!;
    assert.deepEqual(pr.status.provenance["featureFlags"], provenanceFeatureFlags(defaultFeatureFlags()));
    assert.equal(
      (
        await h.kubectl([
          "get",
          "taskrun",
          "task-from-git",
          "-o",
          "jsonpath={.status.provenance.featureFlags.enableAPIFields}",
        ])
      ).stdout,
      "beta",
    );

    const list = await h.kubectl(["get", "resolutionrequests"]);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split("\n");
    assert.match(lines[0]!, /^NAME\s+OWNERKIND\s+OWNER\s+SUCCEEDED\s+REASON\s+STARTTIME\s+ENDTIME$/);
    for (const [kind, owner] of [
      ["TaskRun", "task-from-git"],
      ["TaskRun", "action-from-git"],
      ["PipelineRun", "pipeline-from-git"],
    ]) {
      assert.ok(
        lines.some((l) => new RegExp(`^git-[0-9a-f]{32}\\s+${kind}\\s+${owner}\\s+True\\s`).test(l)),
        list.stdout,
      );
    }
    const json = await h.kubectl(["get", "resolutionrequests.resolution.tekton.dev", "-o", "json"]);
    const items = (JSON.parse(json.stdout) as { items: Array<Record<string, any>> }).items;
    const forTask = items.find((i) => i["metadata"].ownerReferences[0].name === "task-from-git")!;
    assert.equal(forTask["apiVersion"], "resolution.tekton.dev/v1beta1");
    assert.equal(forTask["metadata"].labels["resolution.tekton.dev/type"], "git");
    assert.equal(forTask["metadata"].annotations["resolution.tekton.dev/revision"], commit);
    assert.match(Buffer.from(forTask["status"].data, "base64").toString(), /name: remote-hello/);
  });
});
