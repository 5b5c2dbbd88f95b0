import assert from "node:assert/strict";
import { test } from "node:test";
import { condition, runTaskRuns } from "../helpers/cli.js";

void test("results keep their bytes (trailing newline too); array and object results are parsed as JSON", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: results
spec:
  taskSpec:
    results:
      - name: text
      - name: list
        type: array
      - name: dict
        type: object
        properties:
          a: {type: string}
    steps:
      - name: write
        image: bash
        script: |
          echo hello > $(results.text.path)
          printf '["x","y"]' > $(results.list.path)
          printf '{"a":"1"}' > $(results.dict.path)`,
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = r.objects();
  assert.deepEqual(tr!.status.results, [
    { name: "text", type: "string", value: "hello\n" },
    { name: "list", type: "array", value: ["x", "y"] },
    { name: "dict", type: "object", value: { a: "1" } },
  ]);
});

void test("a result that does not match its declared type fails the run with TaskRunValidationFailed", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: mismatch
spec:
  taskSpec:
    results:
      - name: list
        type: array
    steps:
      - name: write
        image: bash
        script: printf 'not json' > $(results.list.path)`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.reason, "TaskRunValidationFailed");
  assert.equal(
    c.message,
    '[User error] Provided results don\'t match declared results; may be invalid JSON or missing result declaration:  "list": task result is expected to be "array" type but was initialized to a different type "string"',
  );
});

void test("a missing param value fails with TaskRunValidationFailed and Tekton's message", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: needs-params
spec:
  params:
    - name: a
    - name: b
  steps:
    - image: busybox
      script: echo $(params.a) $(params.b)
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: noparams
spec:
  taskRef:
    name: needs-params`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.reason, "TaskRunValidationFailed");
  assert.equal(
    c.message,
    "[User error] invalid input params for task needs-params: missing values for these params which have no default values: [a b]",
  );
});

void test("a Task that does not exist fails with TaskRunResolutionFailed", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: orphan
spec:
  taskRef:
    name: nowhere`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.reason, "TaskRunResolutionFailed");
  assert.equal(
    c.message,
    'error when listing tasks for taskRun orphan: tasks.tekton.dev "nowhere" not found',
  );
});

void test("an unbound required workspace fails with TaskRunValidationFailed", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: wants-ws
spec:
  workspaces:
    - name: source
  steps:
    - image: busybox
      script: ls $(workspaces.source.path)
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: nows
spec:
  taskRef:
    name: wants-ws`,
  );
  const c = condition(r.objects()[0]!);
  assert.equal(c.reason, "TaskRunValidationFailed");
  assert.equal(c.message, '[User error] declared workspace "source" is required but has not been bound');
});

void test("an invalid TaskRun is rejected before anything runs: Tekton's message, exit code 2, no stack trace", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: invalid
spec:
  taskRef:
    name: x
  taskSpec:
    steps:
      - image: busybox
        script: echo`,
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /TaskRun\/invalid: expected exactly one, got both: spec.taskRef, spec.taskSpec/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.stdout, "");
});

void test("params, stepTemplate env, ConfigMap and Secret env reach the step", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: blue
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
data:
  token: c2VjcmV0
stringData:
  user: admin
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: env
spec:
  params:
    - name: greeting
      value: hi
  taskSpec:
    params:
      - name: greeting
    stepTemplate:
      env:
        - name: FROM_TEMPLATE
          value: template
    steps:
      - name: show
        image: busybox
        env:
          - name: COLOUR
            valueFrom:
              configMapKeyRef: {name: settings, key: colour}
        envFrom:
          - secretRef: {name: creds}
            prefix: S_
        script: |
          echo "$(params.greeting) $FROM_TEMPLATE $COLOUR $S_token $S_user"`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[env\/show\] hi template blue secret admin/);
});

void test("StepActions referenced by steps run with their params and results", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: greet
spec:
  params:
    - name: name
      default: nobody
  results:
    - name: said
  image: alpine
  env:
    - name: NAME
      value: $(params.name)
  script: |
    echo "hello $NAME" | tee $(step.results.said.path)
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: actions
spec:
  taskSpec:
    results:
      - name: said
        value: $(steps.greeter.results.said)
    steps:
      - name: greeter
        ref:
          name: greet
        params:
          - name: name
            value: tektite`,
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = r.objects();
  assert.deepEqual(tr!.status.results, [{ name: "said", type: "string", value: "hello tektite\n" }]);
  assert.deepEqual(tr!.status.steps[0].results, [{ name: "said", type: "string", value: "hello tektite\n" }]);
});

void test("generateName gives each TaskRun its own name", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: gen-
spec:
  taskSpec:
    steps:
      - image: busybox
        script: "true"`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.objects()[0]!.metadata.name, /^gen-[a-z0-9]{5}$/);
});
