import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  readFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  containerLogPath,
  createPodLayout,
  implicitStepMounts,
  sidecarScriptsMount,
  stepStatusDir,
} from "./pod-layout.js";

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "tektite-layout-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

void describe("createPodLayout", () => {
  void it("lays out Tekton's pod directories with a world-writable workspace", (t) => {
    const dir = tempDir(t);
    const layout = createPodLayout(dir, ["step-build", "step-unnamed-1"]);
    for (const d of [
      layout.workspace,
      layout.home,
      layout.results,
      layout.steps,
      layout.scripts,
      layout.artifacts,
      layout.volumes,
      layout.logs,
    ]) {
      assert.ok(statSync(d).isDirectory(), d);
    }
    assert.equal(statSync(layout.workspace).mode & 0o777, 0o777);
    assert.deepEqual(layout.run, [join(dir, "run", "0"), join(dir, "run", "1")]);
    assert.ok(statSync(join(stepStatusDir(layout, 1), "results")).isDirectory());
    assert.ok(statSync(join(stepStatusDir(layout, 1), "artifacts")).isDirectory());
    assert.equal(containerLogPath(layout, "step-build"), join(dir, "logs", "step-build.log"));
  });

  void it("links step-<name> and <index> to the step's status directory with relative symlinks", (t) => {
    const dir = tempDir(t);
    const layout = createPodLayout(dir, ["step-a", "step-b"]);
    assert.equal(readlinkSync(join(layout.steps, "step-b")), "../run/1/status");
    assert.equal(readlinkSync(join(layout.steps, "0")), "../run/0/status");
    writeFileSync(join(stepStatusDir(layout, 1), "exitCode"), "0");
    assert.equal(readFileSync(join(layout.steps, "step-b", "exitCode"), "utf8"), "0");
    assert.equal(realpathSync(join(layout.steps, "1")), realpathSync(stepStatusDir(layout, 1)));
  });

  void it("can be created twice over the same directory", (t) => {
    const dir = tempDir(t);
    createPodLayout(dir, ["step-a"]);
    assert.doesNotThrow(() => createPodLayout(dir, ["step-a"]));
  });
});

void describe("implicitStepMounts", () => {
  void it("gives a step Tekton's internal mounts: every run directory read-only, its own writable", (t) => {
    const layout = createPodLayout(tempDir(t), ["step-a", "step-b", "step-c"]);
    const mounts = implicitStepMounts(layout, 1, []);
    const byPath = new Map(mounts.map((m) => [m.containerPath, m]));
    assert.deepEqual([...byPath.keys()].sort(), [
      "/tekton/artifacts",
      "/tekton/home",
      "/tekton/results",
      "/tekton/run",
      "/tekton/run/1",
      "/tekton/scripts",
      "/tekton/steps",
      "/workspace",
    ]);
    assert.equal(byPath.get("/workspace")?.hostPath, layout.workspace);
    assert.equal(byPath.get("/workspace")?.readOnly, false);
    assert.equal(byPath.get("/tekton/steps")?.readOnly, true);
    assert.equal(byPath.get("/tekton/scripts")?.readOnly, true);
    assert.equal(byPath.get("/tekton/run")?.readOnly, true);
    assert.equal(byPath.get("/tekton/run")?.hostPath, join(layout.dir, "run"));
    assert.equal(byPath.get("/tekton/run/1")?.readOnly, false);
    assert.equal(byPath.get("/tekton/run/1")?.hostPath, layout.run[1]);
  });

  void it("keeps the number of mounts per step constant whatever the step count", (t) => {
    const small = createPodLayout(tempDir(t), ["step-a", "step-b"]);
    const names = Array.from({ length: 200 }, (_, i) => `step-s${i}`);
    const large = createPodLayout(tempDir(t), names);
    assert.equal(implicitStepMounts(large, 150, []).length, implicitStepMounts(small, 1, []).length);
  });

  void it("skips an implicit mount when the step already mounts that path, after cleaning", (t) => {
    const layout = createPodLayout(tempDir(t), ["step-a"]);
    const paths = implicitStepMounts(layout, 0, ["/workspace/", "/tekton//home"]).map((m) => m.containerPath);
    assert.ok(!paths.includes("/workspace"));
    assert.ok(!paths.includes("/tekton/home"));
    assert.ok(paths.includes("/tekton/results"));
  });

  void it("gives a sidecar only a read-only scripts mount", (t) => {
    const layout = createPodLayout(tempDir(t), []);
    assert.deepEqual(sidecarScriptsMount(layout), {
      hostPath: layout.scripts,
      containerPath: "/tekton/scripts",
      readOnly: true,
    });
  });
});
