import assert from "node:assert/strict";
import { test } from "node:test";
import { condition, runTaskRuns } from "../helpers/cli.js";

void test("creds-init gives steps exactly the ServiceAccount's annotated credentials in their home", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: v1
kind: Secret
type: kubernetes.io/ssh-auth
metadata:
  name: deploy-key
  annotations:
    tekton.dev/git-0: git.example.com:2222
stringData:
  ssh-privatekey: not-a-real-key
  known_hosts: git.example.com ssh-ed25519 AAAA
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
secrets:
  - name: deploy-key
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: creds
spec:
  serviceAccountName: builder
  taskSpec:
    steps:
      - name: check
        image: alpine
        script: |
          set -e
          test "$(cat $HOME/.ssh/id_deploy-key)" = not-a-real-key
          grep -q "Port 2222" $HOME/.ssh/config
          test ! -e $HOME/.gitconfig
          test ! -e $HOME/.docker
          ls $(credentials.path)/.ssh`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[creds\/check\] config/);
  assert.equal(r.objects()[0]!.status.taskSpec.steps[0].script.includes("$(credentials.path)"), true);
});

void test("a ServiceAccount that does not exist fails the run like a pod that cannot be created", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: nosa
spec:
  serviceAccountName: ghost
  taskSpec:
    steps:
      - image: busybox
        script: "true"`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.reason, "PodCreationFailed");
  assert.equal(
    c.message,
    'failed to create task run pod "nosa": translating TaskSpec to Pod: serviceaccounts "ghost" not found. Maybe invalid TaskSpec',
  );
});
