/** The bounds `tektite serve` adds where Tekton has none: steps per Task and retries per TaskRun. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { cleanup, serve, type Served } from "../helpers/serve.js";

const steps = (n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `      - name: s${i}\n        image: busybox\n        script: echo ${i}\n`,
  ).join("");

void describe("server limits", () => {
  let s: Served;
  before(async () => {
    s = await serve({ args: ["--max-steps", "20", "--max-retries", "3"] });
  });
  after(async () => {
    await cleanup(s);
  });

  void it("refuses a Task with more steps than --max-steps with a message naming the limit", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: many-steps
spec:
  taskSpec:
    steps:
${steps(21)}`;
    assert.equal((await s.kubectl(["create", "-f", "-"], yaml)).code, 0);
    assert.equal(await s.finished("many-steps"), "TaskRunValidationFailed");
    assert.equal(
      await s.jsonpath("many-steps", '{.status.conditions[?(@.type=="Succeeded")].message}'),
      "[User error] the Task has 21 steps, more than this server allows (20; tektite --max-steps)",
    );
    assert.equal(await s.jsonpath("many-steps", "{.status.steps}"), "");
  });

  void it("runs a Task of exactly --max-steps steps, every step in order", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: twenty-steps
spec:
  taskSpec:
    steps:
${steps(20)}`;
    assert.equal((await s.kubectl(["create", "-f", "-"], yaml)).code, 0);
    assert.equal(await s.finished("twenty-steps"), "Succeeded");
    assert.equal((await s.kubectl(["logs", "twenty-steps-pod", "-c", "step-s19"])).stdout, "19\n");
  });

  void it("refuses spec.retries above --max-retries instead of filling the disk", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: retry-forever
spec:
  retries: 1000000000
  taskSpec:
    steps:
      - name: fail
        image: busybox
        script: exit 1
`;
    assert.equal((await s.kubectl(["create", "-f", "-"], yaml)).code, 0);
    assert.equal(await s.finished("retry-forever"), "TaskRunValidationFailed");
    assert.equal(
      await s.jsonpath("retry-forever", '{.status.conditions[?(@.type=="Succeeded")].message}'),
      "[User error] spec.retries is 1000000000, more than this server allows (3; tektite --max-retries)",
    );
    assert.equal(await s.jsonpath("retry-forever", "{.status.retriesStatus}"), "");
  });

  void it("refuses an object over 1.5 MiB as etcd does, with a 413 Status", async () => {
    const body = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "huge" },
      data: { x: "y".repeat(2 * 1024 * 1024) },
    });
    const r = await s.http("POST", "/api/v1/namespaces/default/configmaps", body);
    assert.equal(r.status, 413);
    const status = JSON.parse(r.body) as { reason: string; message: string };
    assert.deepEqual(
      [status.reason, status.message],
      ["RequestEntityTooLarge", "etcdserver: request is too large"],
    );
    assert.equal((await s.http("GET", "/api/v1/namespaces/default/configmaps/huge")).status, 404);
  });

  void it("retries up to the limit, archiving each attempt", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: retry-three
spec:
  retries: 3
  taskSpec:
    steps:
      - name: fail
        image: busybox
        script: exit 1
`;
    assert.equal((await s.kubectl(["create", "-f", "-"], yaml)).code, 0);
    assert.equal(await s.finished("retry-three"), "StepFailed");
    assert.equal(await s.jsonpath("retry-three", "{.status.podName}"), "retry-three-pod-retry3");
    assert.equal(
      (await s.jsonpath("retry-three", "{.status.retriesStatus[*].podName}")).split(" ").length,
      3,
    );
  });
});
