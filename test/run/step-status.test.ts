/**
 * Step and sidecar details of a TaskRun's status as Tekton writes them: step `when` (CEL and
 * input/operator/values) evaluated at run time, step artifacts in `status.steps[]`, the
 * `tekton-log-results` sidecar, and steps that wait for every sidecar to be ready.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { skipUnlessEngine } from "../../src/executors/container-testkit.js";
import { condition, runTaskRuns, tempDir, writeYaml } from "../helpers/cli.js";

const stepWhen = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: step-when
spec:
  params:
    - name: mode
      value: fast
  taskSpec:
    params:
      - name: mode
    steps:
      - name: cel-false
        image: busybox
        script: echo ran-cel-false
        when:
          - cel: "'$(params.mode)' == 'slow'"
      - name: cel-true
        image: busybox
        script: echo ran-cel-true
        when:
          - cel: "'$(params.mode)' == 'fast'"
      - name: notin
        image: busybox
        script: echo ran-notin
        when:
          - input: "$(params.mode)"
            operator: notin
            values: [fast]
      - name: last
        image: busybox
        script: echo ran-last
`;

const sidecarReady = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: sidecar-ready
spec:
  taskSpec:
    volumes:
      - name: shared
        emptyDir: {}
    sidecars:
      - name: writer
        image: busybox
        volumeMounts:
          - name: shared
            mountPath: /shared
        script: |
          sleep 2
          echo written-by-sidecar > /shared/file
          sleep 600
        readinessProbe:
          periodSeconds: 1
          exec:
            command: [cat, /shared/file]
    steps:
      - name: reader
        image: busybox
        volumeMounts:
          - name: shared
            mountPath: /shared
        script: cat /shared/file
`;

for (const executor of ["host", "podman"] as const) {
  void describe(`step status on the ${executor} executor`, async () => {
    const skip = executor === "podman" ? await skipUnlessEngine() : false;
    const args = ["--executor", executor, "--feature-gate", "alpha"];

    void it(
      "skips a step whose when (CEL or input/operator/values) is false: Completed, exit 0, terminationReason Skipped",
      { skip },
      async (t) => {
        const r = await runTaskRuns(t, stepWhen, args);
        assert.equal(r.code, 0, r.stderr);
        const [tr] = r.objects();
        assert.equal(condition(tr!).reason, "Succeeded");
        assert.deepEqual(
          tr!.status.steps.map((s: any) => [
            s.name,
            s.terminated.exitCode,
            s.terminated.reason,
            s.terminationReason,
          ]),
          [
            ["cel-false", 0, "Completed", "Skipped"],
            ["cel-true", 0, "Completed", "Completed"],
            ["notin", 0, "Completed", "Skipped"],
            ["last", 0, "Completed", "Completed"],
          ],
        );
        assert.doesNotMatch(r.stderr, /ran-cel-false|ran-notin/);
        assert.match(r.stderr, /ran-cel-true/);
        assert.match(r.stderr, /ran-last/);
      },
    );

    void it("starts the first step only once every sidecar's readiness probe passed", { skip }, async (t) => {
      const r = await runTaskRuns(t, sidecarReady, args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /\[sidecar-ready\/reader\] written-by-sidecar/);
      const [tr] = r.objects();
      assert.equal(condition(tr!).reason, "Succeeded");
    });
  });
}

void describe("step artifacts and the results sidecar (host)", () => {
  void it("surfaces what a step wrote to $(step.artifacts.path) in status.steps[].inputs/outputs", async (t) => {
    const r = await runTaskRuns(
      t,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: step-artifacts
spec:
  taskSpec:
    steps:
      - name: hello
        image: busybox
        command: [/bin/sh]
        args:
          - -c
          - |
            cat > $(step.artifacts.path) << EOF
            {"inputs":[{"name":"source","values":[{"uri":"git:jjjsss","digest":{"sha256":"b35cacccfdb1e24dc497d15d553891345fd155713ffe647c281c583269eaaae0"}}]}],
             "outputs":[{"name":"image","buildOutput":true,"values":[{"uri":"pkg:balba","digest":{"sha256":"df85b9e3983fe2ce20ef76ad675ecf435cc99fc9350adc54fa230bae8c32ce48","sha1":"95588b8f34c31eb7d62c92aaa4e6506639b06ef2"}}]}]}
            EOF
`,
      ["--feature-gate", "alpha"],
    );
    assert.equal(r.code, 0, r.stderr);
    const [step] = r.objects()[0]!.status.steps;
    assert.deepEqual(step.inputs, [
      {
        name: "source",
        values: [
          {
            uri: "git:jjjsss",
            digest: { sha256: "b35cacccfdb1e24dc497d15d553891345fd155713ffe647c281c583269eaaae0" },
          },
        ],
      },
    ]);
    assert.deepEqual(step.outputs, [
      {
        name: "image",
        buildOutput: true,
        values: [
          {
            uri: "pkg:balba",
            digest: {
              sha256: "df85b9e3983fe2ce20ef76ad675ecf435cc99fc9350adc54fa230bae8c32ce48",
              sha1: "95588b8f34c31eb7d62c92aaa4e6506639b06ef2",
            },
          },
        ],
      },
    ]);
  });

  void it("lists the tekton-log-results sidecar in status.sidecars when results come from sidecar logs", async (t) => {
    const config = writeYaml(tempDir(t), "config.yaml", "featureFlags:\n  results-from: sidecar-logs\n");
    const r = await runTaskRuns(
      t,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: log-results
spec:
  taskSpec:
    results:
      - name: greeting
    steps:
      - name: hello
        image: busybox
        script: printf hi > $(results.greeting.path)
`,
      ["--config", config],
    );
    assert.equal(r.code, 0, r.stderr);
    const [tr] = r.objects();
    assert.deepEqual(tr!.status.results, [{ name: "greeting", type: "string", value: "hi" }]);
    const sidecars = tr!.status.sidecars.map((s: any) => ({
      name: s.name,
      container: s.container,
      exitCode: s.terminated.exitCode,
      reason: s.terminated.reason,
      message: s.terminated.message,
    }));
    assert.deepEqual(sidecars, [
      {
        name: "tekton-log-results",
        container: "sidecar-tekton-log-results",
        exitCode: 0,
        reason: "Completed",
        message: undefined,
      },
    ]);
  });
});

const imageIDs = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: image-ids
spec:
  taskSpec:
    sidecars:
      - name: helper
        image: alpine:3.20
        script: sleep 60
    steps:
      - name: by-tag
        image: busybox
        script: "true"
      - name: by-digest
        image: gcr.io/example/tool@sha256:${"ab".repeat(32)}
        command: ["true"]
`;

void describe("step image IDs (host)", () => {
  // Tekton's conformance test checks that a step's imageID ends with the image the step named.
  void it("names each step's and sidecar's image in status.steps[].imageID / status.sidecars[].imageID, by digest when pinned", async (t) => {
    const r = await runTaskRuns(t, imageIDs);
    assert.equal(r.code, 0, r.stderr);
    const steps = r.objects()[0]!["status"]["steps"] as Array<{ name: string; imageID?: string }>;
    assert.deepEqual(
      steps.map((s) => [s.name, s.imageID]),
      [
        ["by-tag", "docker.io/library/busybox:latest"],
        ["by-digest", `gcr.io/example/tool@sha256:${"ab".repeat(32)}`],
      ],
    );
    const sidecars = r.objects()[0]!["status"]["sidecars"] as Array<{ name: string; imageID?: string }>;
    assert.deepEqual(
      sidecars.map((s) => [s.name, s.imageID]),
      [["helper", "docker.io/library/alpine:3.20"]],
    );
  });
});
