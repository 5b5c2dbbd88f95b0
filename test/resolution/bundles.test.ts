import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { condition, runInDir, runCli, tempDir, writeYaml } from "../helpers/cli.js";
import { ociRegistry } from "./standins.js";

const RESOURCES = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
spec:
  params:
    - name: target
  steps:
    - name: make
      image: busybox
      script: echo building $(params.target)
---
apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: notify
spec:
  image: busybox
  script: echo notified
`;

const taskRun = (name: string, bundle: string, extra = ""): string => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
  params: [{ name: target, value: all }]
  taskRef:
    resolver: bundles
    params:
      - name: bundle
        value: ${bundle}
      - name: name
        value: build
      - name: kind
        value: task
${extra}`;

void test("tektite bundle push then list, and a TaskRun and a StepAction resolved from the bundle with its digest recorded", async (t) => {
  const dir = tempDir(t);
  const registry = await ociRegistry(t, join(dir, "registry"));
  const src = writeYaml(dir, "resources.yaml", RESOURCES);
  const ref = `${registry}/tekton/bundles/build:v1`;
  const pushed = await runCli(["bundle", "push", ref, "-f", src]);
  assert.equal(pushed.code, 0, pushed.stderr);
  const m = /^Pushed Tekton Bundle to (\S+)@(sha256:[0-9a-f]{64})$/m.exec(pushed.stdout);
  assert.ok(m, pushed.stdout);
  assert.equal(m[1], `${registry}/tekton/bundles/build`);
  const digest = m[2]!;

  const listed = await runCli(["bundle", "list", ref]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, "task.tekton.dev/build\nstepaction.tekton.dev/notify\n");
  const one = await runCli(["bundle", "list", ref, "task", "build", "-o", "json"]);
  assert.equal(JSON.parse(one.stdout).metadata.name, "build");

  // The registry's own view of the manifest: Tekton's layer annotations.
  const manifest = (await (
    await fetch(`http://${registry}/v2/tekton/bundles/build/manifests/v1`, {
      headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
    })
  ).json()) as { layers: Array<{ annotations: Record<string, string> }> };
  assert.deepEqual(
    manifest.layers.map((l) => l.annotations),
    [
      {
        "dev.tekton.image.apiVersion": "tekton.dev/v1",
        "dev.tekton.image.kind": "task",
        "dev.tekton.image.name": "build",
      },
      {
        "dev.tekton.image.apiVersion": "tekton.dev/v1beta1",
        "dev.tekton.image.kind": "stepaction",
        "dev.tekton.image.name": "notify",
      },
    ],
  );

  const r = await runInDir(
    dir,
    [
      taskRun("by-tag", ref),
      taskRun("by-digest", `${registry}/tekton/bundles/build@${digest}`),
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: action-from-bundle
spec:
  taskSpec:
    steps:
      - name: tell
        ref:
          resolver: bundles
          params:
            - { name: bundle, value: "${ref}" }
            - { name: name, value: notify }
            - { name: kind, value: stepaction }
`,
      taskRun("not-there", ref).replace("value: build\n", "value: deploy\n"),
    ].join("---\n"),
  );
  const byName = new Map(r.objects().map((o) => [o["metadata"].name as string, o]));
  for (const name of ["by-tag", "by-digest"]) {
    const tr = byName.get(name)!;
    assert.equal(condition(tr).reason, "Succeeded", JSON.stringify(condition(tr)));
    assert.deepEqual(tr["status"].provenance.refSource, {
      uri: `${registry}/tekton/bundles/build`,
      digest: { sha256: digest.slice("sha256:".length) },
      entryPoint: "build",
    });
  }
  assert.match(r.stderr, /\[by-tag\/make\] building all/);
  assert.match(r.stderr, /\[action-from-bundle\/tell\] notified/);
  const missing = condition(byName.get("not-there")!);
  assert.equal(missing.reason, "TaskRunResolutionFailed");
  assert.match(
    missing.message,
    /^error requesting remote resource: error getting "bundleresolver" "default\/bundles-[0-9a-f]{32}": could not find object in image with kind: task and name: deploy$/,
  );
});

void test("a registry that requires a login: push with credentials, pull with a docker config Secret named by the TaskRun or its ServiceAccount", async (t) => {
  const dir = tempDir(t);
  const hash = execFileSync("perl", ["-e", 'print crypt("s3cret", "\\$2b\\$05\\$abcdefghijklmnopqrstuu")'], {
    encoding: "utf8",
  });
  const registry = await ociRegistry(t, join(dir, "registry"), `builder:${hash}`);
  const src = writeYaml(dir, "resources.yaml", RESOURCES);
  const ref = `${registry}/private/build:v1`;
  const denied = await runCli(["bundle", "push", ref, "-f", src]);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /UNAUTHORIZED/);
  const pushed = await runCli([
    "bundle",
    "push",
    ref,
    "-f",
    src,
    "--username",
    "builder",
    "--password",
    "s3cret",
  ]);
  assert.equal(pushed.code, 0, pushed.stderr);

  const dockerConfig = JSON.stringify({
    auths: { [registry]: { auth: Buffer.from("builder:s3cret").toString("base64") } },
  });
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: registry-login
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${dockerConfig}'
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: puller
imagePullSecrets:
  - name: registry-login
---
`;
  const r = await runInDir(
    dir,
    secret +
      [
        taskRun("with-secret", ref, "      - name: secret\n        value: registry-login\n"),
        taskRun("with-sa", ref, "      - name: serviceAccount\n        value: puller\n"),
        taskRun("anonymous", ref),
      ].join("---\n"),
  );
  const byName = new Map(r.objects().map((o) => [o["metadata"].name as string, o]));
  assert.equal(
    condition(byName.get("with-secret")!).reason,
    "Succeeded",
    JSON.stringify(condition(byName.get("with-secret")!)),
  );
  assert.equal(condition(byName.get("with-sa")!).reason, "Succeeded");
  const anon = condition(byName.get("anonymous")!);
  assert.equal(anon.reason, "TaskRunResolutionFailed");
  assert.match(
    anon.message,
    /error getting "bundleresolver" "default\/bundles-[0-9a-f]{32}": cannot retrieve the oci image: GET http:\/\/.*: UNAUTHORIZED: /,
  );
});
