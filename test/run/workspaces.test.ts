import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { condition, runCli, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";

void test("a persistentVolumeClaim workspace is a directory that outlives the run and is shared by later runs", async (t) => {
  const dir = tempDir(t);
  const dataDir = join(dir, "data");
  const writer = writeYaml(
    dir,
    "writer.yaml",
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: writer
spec:
  workspaces:
    - name: store
      persistentVolumeClaim:
        claimName: shared
      subPath: sub
  taskSpec:
    workspaces:
      - name: store
    steps:
      - image: busybox
        script: echo kept > $(workspaces.store.path)/file`,
  );
  const reader = writeYaml(
    dir,
    "reader.yaml",
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: reader
spec:
  workspaces:
    - name: store
      persistentVolumeClaim:
        claimName: shared
  taskSpec:
    workspaces:
      - name: store
    steps:
      - image: busybox
        script: cat $(workspaces.store.path)/sub/file`,
  );
  const first = await runCli(["run", "-f", writer, "--executor", "host", "--data-dir", dataDir]);
  assert.equal(first.code, 0, first.stderr);
  const second = await runCli(["run", "-f", reader, "--executor", "host", "--data-dir", dataDir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /\[reader\/unnamed-0\] kept/);
  assert.equal(readFileSync(join(dataDir, "pvcs", "default", "shared", "sub", "file"), "utf8"), "kept\n");
});

void test("ConfigMap and Secret workspaces are files, an optional unbound workspace is reported unbound", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  message: from-configmap
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
stringData:
  password: from-secret
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: files
spec:
  workspaces:
    - name: conf
      configMap: {name: conf}
    - name: sec
      secret: {secretName: sec}
  taskSpec:
    workspaces:
      - name: conf
      - name: sec
      - name: extra
        optional: true
    steps:
      - image: busybox
        script: |
          cat $(workspaces.conf.path)/message
          cat $(workspaces.sec.path)/password
          echo "bound=$(workspaces.extra.bound) path=[$(workspaces.extra.path)]"`,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /from-configmap/);
  assert.match(r.stderr, /from-secret/);
  assert.match(r.stderr, /bound=false path=\[\]/);
});

void test("a subPath that climbs out of its volume is refused and nothing is written outside", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: escape
spec:
  workspaces:
    - name: ws
      persistentVolumeClaim:
        claimName: claim
      subPath: ../../../outside
  taskSpec:
    workspaces:
      - name: ws
    steps:
      - image: busybox
        script: touch $(workspaces.ws.path)/pwned`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.status, "False");
  assert.match(c.message, /must not leave its volume/);
  assert.equal(existsSync(join(r.dataDir, "..", "outside")), false);
});

void test("a sidecar runs before the first step, can be reached by it, and is stopped after the steps", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: withsidecar
spec:
  taskSpec:
    volumes:
      - name: shared
        emptyDir: {}
    sidecars:
      - name: server
        image: busybox
        volumeMounts:
          - name: shared
            mountPath: /shared
        script: |
          echo ready > /shared/flag
          sleep 1000
        readinessProbe:
          exec:
            command: [cat, /shared/flag]
    steps:
      - name: client
        image: busybox
        volumeMounts:
          - name: shared
            mountPath: /shared
        script: cat /shared/flag`,
  );
  assert.equal(r.code, 0, r.stderr);
  const [tr] = r.objects();
  assert.match(r.stderr, /\[withsidecar\/client\] ready/);
  assert.equal(tr!.status.sidecars[0].name, "server");
  assert.equal(tr!.status.sidecars[0].container, "sidecar-server");
  assert.equal(
    tr!.status.sidecars[0].terminated.message,
    "Sidecar container successfully stopped by nop image",
  );
});

void test("a sidecar that exits non-zero fails the TaskRun even when the steps succeed", async (t) => {
  const r = await runTaskRuns(
    t,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: badsidecar
spec:
  taskSpec:
    sidecars:
      - name: broken
        image: busybox
        script: exit 3
    steps:
      - name: wait
        image: busybox
        script: sleep 0.3`,
  );
  assert.equal(r.code, 1);
  const c = condition(r.objects()[0]!);
  assert.equal(c.status, "False");
  assert.equal(c.reason, "SidecarFailed");
  assert.equal(c.message, '"sidecar-broken" exited with code 3: Error');
});
