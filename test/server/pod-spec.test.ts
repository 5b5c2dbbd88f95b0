/**
 * Tekton's e2e TestWorkspaceVolumeNameMatchesVolumeVariableReplacement through `tektite serve`
 * and kubectl: the value `$(workspaces.<w>.volume)` resolves to is the name of a volume in the
 * TaskRun's Pod, and the step's container shows the args it ran with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serve } from "../helpers/serve.js";

void describe("the Pod of a TaskRun (kubectl get pod)", () => {
  void it("names the workspace's volume as $(workspaces.test.volume) resolved, in the step's args", async (t) => {
    const s = await serve();
    t.after(() => s.stop());
    const created = await s.kubectl(
      ["create", "-f", "-"],
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: volname
spec:
  workspaces:
    - name: test
      emptyDir: {}
  taskSpec:
    workspaces:
      - name: test
        mountPath: /workspace/test/file
        readOnly: true
    volumes:
      - name: scratch
        emptyDir: {}
    steps:
      - image: alpine
        name: foo
        command: ["echo"]
        args: ["$(workspaces.test.volume)"]
`,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(await s.finished("volname"), "Succeeded");
    const got = await s.kubectl(["get", "pod", "volname-pod", "-o", "json"]);
    assert.equal(got.code, 0, got.stderr);
    const pod = JSON.parse(got.stdout) as {
      spec: {
        containers: Array<{ name: string; command?: string[]; args?: string[] }>;
        volumes: Array<{ name: string }>;
      };
    };
    const step = pod.spec.containers.find((c) => c.name === "step-foo");
    assert.ok(step, JSON.stringify(pod.spec.containers));
    assert.deepEqual(step.command, ["echo"]);
    const volumeName = step.args?.at(-1);
    assert.match(volumeName ?? "", /^ws-[0-9a-f]{5}$/);
    assert.deepEqual(
      pod.spec.volumes.map((v) => v.name),
      [volumeName, "scratch"],
    );
    const logs = await s.kubectl(["logs", "volname-pod", "-c", "step-foo"]);
    assert.equal(logs.stdout.trim(), volumeName);
  });
});
