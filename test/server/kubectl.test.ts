/**
 * kubectl against `tektite serve`'s API, with TaskRun status written through the store (as the
 * engine writes it), so the API surface is tested independently of step execution.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  TASK_AND_RUN_YAML,
  exited,
  readUntil,
  startHarness,
  succeeded,
  writeStatus,
  type Harness,
} from "./harness.js";

const RUNNING_STEP = { name: "echo", container: "step-echo", running: { startedAt: "2026-01-01T00:00:00Z" } };
const DONE_STEP = {
  name: "echo",
  container: "step-echo",
  terminated: {
    exitCode: 0,
    reason: "Completed",
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:00:01Z",
  },
};

function logFile(h: Harness, pod: string, container: string): string {
  const dir = join(h.dataDir, "pods", "default", pod, "logs");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${container}.log`);
}

describe("kubectl against the tektite API", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("lists Tekton kinds with their short names and categories in api-resources", async () => {
    const r = await h.kubectl(["api-resources", "--api-group=tekton.dev", "-o", "wide"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /taskruns\s+tr,trs\s+tekton\.dev\/v1\s+true\s+TaskRun\s+.*tekton,tekton-pipelines/,
    );
    assert.match(r.stdout, /customruns\s+tekton\.dev\/v1beta1\s+true\s+CustomRun/);
    assert.match(
      r.stdout,
      /pipelineruns\s+pr,prs\s+tekton\.dev\/v1\s+true\s+PipelineRun\s+.*tekton,tekton-pipelines/,
    );
    assert.match(r.stdout, /pipelines\s+tekton\.dev\/v1\s+true\s+Pipeline\s/);
    assert.match(r.stdout, /runs\s+tekton\.dev\/v1alpha1\s+true\s+Run/);
    const core = await h.kubectl(["api-resources", "--api-group="]);
    assert.match(core.stdout, /pods\s+po\s+v1\s+true\s+Pod/);
  });

  it("applies a Task and a TaskRun with default validation and shows Tekton's columns", async () => {
    const r = await h.kubectl(["apply", "-f", "-"], TASK_AND_RUN_YAML);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /task\.tekton\.dev\/hello created/);
    assert.match(r.stdout, /taskrun\.tekton\.dev\/hello-run created/);
    const again = await h.kubectl(["apply", "-f", "-"], TASK_AND_RUN_YAML);
    assert.match(again.stdout, /taskrun\.tekton\.dev\/hello-run unchanged/);

    writeStatus(h.store, "default", "hello-run", {
      conditions: succeeded("True", "Succeeded", "All Steps have completed executing"),
      podName: "hello-run-pod",
      startTime: "2026-01-01T00:00:00Z",
      completionTime: "2026-01-01T00:00:05Z",
      steps: [DONE_STEP],
    });
    const get = await h.kubectl(["get", "taskruns"]);
    assert.equal(get.code, 0, get.stderr);
    const [header, row] = get.stdout.trim().split("\n");
    assert.match(header ?? "", /^NAME\s+SUCCEEDED\s+REASON\s+STARTTIME\s+COMPLETIONTIME$/);
    assert.match(row ?? "", /^hello-run\s+True\s+Succeeded\s+\S+\s+\S+$/);
    const tasks = await h.kubectl(["get", "tasks"]);
    assert.match(tasks.stdout, /^NAME\s+AGE\nhello\s+\S+/);
  });

  it("prints objects as YAML, JSON and jsonpath, and stores a v1beta1 TaskRun as v1", async () => {
    const yaml = await h.kubectl(["get", "tr", "hello-run", "-o", "yaml"]);
    assert.match(yaml.stdout, /apiVersion: tekton\.dev\/v1\nkind: TaskRun/);
    const json = JSON.parse((await h.kubectl(["get", "tr", "hello-run", "-o", "json"])).stdout);
    assert.equal(json.status.podName, "hello-run-pod");
    const jp = await h.kubectl(["get", "tr", "hello-run", "-o", "jsonpath={.status.conditions[0].reason}"]);
    assert.equal(jp.stdout, "Succeeded");

    const v1beta1 = `apiVersion: tekton.dev/v1beta1
kind: TaskRun
metadata:
  name: beta-run
spec:
  taskSpec:
    steps:
      - name: s
        image: alpine
        resources: {}
        script: echo hi
`;
    const created = await h.kubectl(["create", "-f", "-"], v1beta1);
    assert.equal(created.code, 0, created.stderr);
    const stored = JSON.parse(
      (await h.kubectl(["get", "taskruns.v1.tekton.dev", "beta-run", "-o", "json"])).stdout,
    );
    assert.equal(stored.apiVersion, "tekton.dev/v1");
    assert.equal(stored.spec.taskSpec.steps[0].name, "s");
  });

  it("rejects an invalid TaskRun with Tekton's admission message", async () => {
    const invalid = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: bad-run
spec:
  taskSpec:
    steps: []
`;
    const r = await h.kubectl(["create", "-f", "-"], invalid);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(BadRequest\).*admission webhook "validation\.webhook\.pipeline\.tekton\.dev" denied the request: validation failed: /,
    );
  });

  it("describes a TaskRun with the Events recorded for its transitions", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "described") ?? "",
    );
    // As the engine writes them: Started first (reported as Started, Tekton's first condition), then Running.
    for (const reason of ["Started", "Running"]) {
      writeStatus(h.store, "default", "described", {
        conditions: succeeded("Unknown", reason),
        startTime: "2026-01-01T00:00:00Z",
        podName: "described-pod",
      });
    }
    writeStatus(h.store, "default", "described", {
      conditions: succeeded("False", "Failed", '"step-echo" exited with code 1'),
      startTime: "2026-01-01T00:00:00Z",
      completionTime: "2026-01-01T00:00:02Z",
      podName: "described-pod",
    });
    const d = await h.kubectl(["describe", "taskrun", "described"]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /Normal\s+Started/);
    assert.match(d.stdout, /Normal\s+Running/);
    assert.match(d.stdout, /Warning\s+Failed\s+.*"step-echo" exited with code 1/);
    const events = await h.kubectl(["get", "events"]);
    assert.match(events.stdout, /Warning\s+Failed\s+taskrun\/described/);
  });

  it("cancels with a merge patch and deletes", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "to-cancel") ?? "",
    );
    const p = await h.kubectl([
      "patch",
      "taskrun",
      "to-cancel",
      "--type",
      "merge",
      "-p",
      '{"spec":{"status":"TaskRunCancelled"}}',
    ]);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /taskrun\.tekton\.dev\/to-cancel patched/);
    const jp = await h.kubectl(["get", "tr", "to-cancel", "-o", "jsonpath={.spec.status}"]);
    assert.equal(jp.stdout, "TaskRunCancelled");
    const jsonPatch = await h.kubectl([
      "patch",
      "tr",
      "to-cancel",
      "--type",
      "json",
      "-p",
      '[{"op":"add","path":"/metadata/labels/x","value":"y"}]',
    ]);
    assert.equal(jsonPatch.code, 0, jsonPatch.stderr);
    const del = await h.kubectl(["delete", "taskrun", "to-cancel"]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /taskrun\.tekton\.dev "to-cancel" deleted/);
    const gone = await h.kubectl(["get", "taskrun", "to-cancel"]);
    assert.match(gone.stderr, /Error from server \(NotFound\): taskruns\.tekton\.dev "to-cancel" not found/);
  });

  it("streams watch events to kubectl get -w", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "watched") ?? "",
    );
    // -v=6 logs the watch request once it is answered: only then is a change sure to be streamed
    // (kubectl does not print a change made between its first GET and its watch).
    const child = h.spawnKubectl(["get", "taskruns", "watched", "-w", "-v=6"]);
    try {
      const watching = new Promise<void>((resolve) => {
        let err = "";
        child.stderr?.on("data", (d: Buffer) => {
          err += d.toString();
          if (/watch=true\S* 200 OK/.test(err)) resolve();
        });
      });
      await readUntil(child, (out) => /watched/.test(out));
      await watching;
      writeStatus(h.store, "default", "watched", {
        conditions: succeeded("Unknown", "Running"),
        startTime: "2026-01-01T00:00:00Z",
      });
      const out = await readUntil(child, (o) => /watched\s+Unknown\s+Running/.test(o));
      assert.match(out, /watched\s+Unknown\s+Running/);
    } finally {
      child.kill();
    }
  });

  it("waits for condition Succeeded", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "waited") ?? "",
    );
    const child = h.spawnKubectl(["wait", "--for=condition=Succeeded", "taskrun/waited", "--timeout=60s"]);
    const done = exited(child);
    writeStatus(h.store, "default", "waited", {
      conditions: succeeded("Unknown", "Running"),
      startTime: "2026-01-01T00:00:00Z",
    });
    writeStatus(h.store, "default", "waited", {
      conditions: succeeded("True", "Succeeded"),
      startTime: "2026-01-01T00:00:00Z",
    });
    const { code, stdout } = await done;
    assert.equal(code, 0);
    assert.match(stdout, /taskrun\.tekton\.dev\/waited condition met/);
  });

  it("shows each attempt as a Pod and serves its step logs, following until the step ends", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "logged") ?? "",
    );
    writeStatus(h.store, "default", "logged", {
      conditions: succeeded("Unknown", "Running"),
      podName: "logged-pod",
      startTime: "2026-01-01T00:00:00Z",
      steps: [RUNNING_STEP],
    });
    const file = logFile(h, "logged-pod", "step-echo");
    writeFileSync(file, "first line\n");
    const pods = await h.kubectl(["get", "pods", "-l", "tekton.dev/taskRun=logged"]);
    assert.match(pods.stdout, /logged-pod\s+1\/1\s+Running\s+0/);
    const pod = JSON.parse((await h.kubectl(["get", "pod", "logged-pod", "-o", "json"])).stdout);
    assert.equal(pod.metadata.ownerReferences[0].kind, "TaskRun");
    assert.equal(pod.status.containerStatuses[0].name, "step-echo");

    const follow = h.spawnKubectl(["logs", "-f", "logged-pod", "-c", "step-echo"]);
    const done = exited(follow);
    await readUntil(follow, (o) => o.includes("first line"));
    appendFileSync(file, "second line\n");
    await readUntil(follow, (o) => o.includes("second line"));
    writeStatus(h.store, "default", "logged", {
      conditions: succeeded("True", "Succeeded"),
      podName: "logged-pod",
      startTime: "2026-01-01T00:00:00Z",
      steps: [DONE_STEP],
    });
    assert.equal((await done).code, 0);

    const logs = await h.kubectl(["logs", "logged-pod", "-c", "step-echo"]);
    assert.equal(logs.stdout, "first line\nsecond line\n");
    const tail = await h.kubectl(["logs", "logged-pod", "-c", "step-echo", "--tail=1"]);
    assert.equal(tail.stdout, "second line\n");
  });

  it("asks which container when a pod has several and none is given", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "two-steps") ?? "",
    );
    writeStatus(h.store, "default", "two-steps", {
      conditions: succeeded("Unknown", "Running"),
      podName: "two-steps-pod",
      steps: [DONE_STEP, { ...RUNNING_STEP, name: "b", container: "step-b" }],
    });
    const r = await h.http("GET", "/api/v1/namespaces/default/pods/two-steps-pod/log");
    assert.equal(r.status, 400);
    assert.match(
      JSON.parse(r.body).message,
      /^a container name must be specified for pod two-steps-pod, choose one of: \[step-echo step-b\]$/,
    );
  });

  it("creates core objects with kubectl create (protobuf bodies) and lists across namespaces", async () => {
    assert.equal((await h.kubectl(["create", "namespace", "team-a"])).code, 0);
    const cm = await h.kubectl([
      "create",
      "configmap",
      "settings",
      "-n",
      "team-a",
      "--from-literal=mode=fast",
    ]);
    assert.equal(cm.code, 0, cm.stderr);
    const secret = await h.kubectl([
      "create",
      "secret",
      "generic",
      "creds",
      "-n",
      "team-a",
      "--from-literal=password=s3cret",
    ]);
    assert.equal(secret.code, 0, secret.stderr);
    const sa = await h.kubectl(["create", "serviceaccount", "builder", "-n", "team-a"]);
    assert.equal(sa.code, 0, sa.stderr);
    const data = await h.kubectl([
      "get",
      "secret",
      "creds",
      "-n",
      "team-a",
      "-o",
      "jsonpath={.data.password}",
    ]);
    assert.equal(Buffer.from(data.stdout, "base64").toString(), "s3cret");
    const all = await h.kubectl(["get", "configmaps", "-A"]);
    assert.match(all.stdout, /team-a\s+settings\s+1\s+\S+/);
  });

  it("lists and watches TaskRuns with a client-node informer that sees every transition", async () => {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(h.kubeconfigPath);
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const path = "/apis/tekton.dev/v1/namespaces/default/taskruns";
    const informer = k8s.makeInformer(
      kc,
      path,
      () =>
        api.listNamespacedCustomObject({
          group: "tekton.dev",
          version: "v1",
          namespace: "default",
          plural: "taskruns",
        }) as never,
    );
    const seen: string[] = [];
    const reasons = new Promise<void>((resolve) => {
      const record = (obj: {
        metadata?: { name?: string };
        status?: { conditions?: Array<{ reason?: string }> };
      }): void => {
        if (obj.metadata?.name !== "informed") return;
        seen.push(obj.status?.conditions?.[0]?.reason ?? "none");
        if (seen.includes("Succeeded")) resolve();
      };
      informer.on("add", record);
      informer.on("update", record);
    });
    await informer.start();
    try {
      await h.kubectl(
        ["create", "-f", "-"],
        TASK_AND_RUN_YAML.split("---\n")[1]?.replace("hello-run", "informed") ?? "",
      );
      await new Promise<void>((resolve) => {
        const check = (): void => (seen.length > 0 ? resolve() : void setTimeout(check, 20));
        check();
      });
      for (const reason of ["Pending", "Running"]) {
        writeStatus(h.store, "default", "informed", { conditions: succeeded("Unknown", reason) });
      }
      writeStatus(h.store, "default", "informed", { conditions: succeeded("True", "Succeeded") });
      await reasons;
      assert.deepEqual(seen, ["none", "Pending", "Running", "Succeeded"]);
    } finally {
      await informer.stop();
    }
  });
});
