/**
 * `kubectl explain` against tektite's OpenAPI v3 documents, which come from the same schemas as
 * the decoder: every Tekton kind is described down to its leaf fields.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "./harness.js";

describe("kubectl explain", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  const explain = async (path: string): Promise<string> => {
    const r = await h.kubectl(["explain", path]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  it("describes a TaskRun's step image as a string, with a description", async () => {
    const out = await explain("taskrun.spec.taskSpec.steps.image");
    assert.match(out, /^GROUP:\s+tekton\.dev$/m);
    assert.match(out, /^KIND:\s+TaskRun$/m);
    assert.match(out, /^VERSION:\s+v1$/m);
    assert.match(out, /^FIELD: image <string>$/m);
    assert.match(out, /Container image that runs the step\./);
  });

  it("reaches leaf fields of every Tekton kind", async () => {
    const cases: Array<[string, RegExp]> = [
      ["task.spec.params.default", /FIELD: default <Object>/],
      [
        "task.spec.steps.computeResources.limits",
        /FIELD: limits <map\[string\]Object>|FIELD: limits <map\[string\]IntOrString>/,
      ],
      ["taskrun.spec.timeout", /FIELD: timeout <string>/],
      ["taskrun.spec.workspaces.persistentVolumeClaim.claimName", /FIELD: claimName <string>/],
      ["pipeline.spec.tasks.runAfter", /FIELD: runAfter <\[\]string>/],
      ["pipelinerun.spec.timeouts.pipeline", /FIELD: pipeline <string>/],
      ["customrun.spec.customRef.kind", /FIELD: kind <string>/],
      ["stepaction.spec.results.name", /FIELD: name <string>/],
      ["taskrun.spec.podTemplate.securityContext", /FIELD: securityContext <Object>/],
      ["task.spec.sidecars.readinessProbe.periodSeconds", /FIELD: periodSeconds <integer>/],
    ];
    for (const [path, expected] of cases) assert.match(await explain(path), expected, path);
  });

  it("lists a struct's fields with their types", async () => {
    const out = await explain("taskrun.spec");
    for (const field of [
      /taskRef\s+<Object>/,
      /taskSpec\s+<Object>/,
      /retries\s+<integer>/,
      /params\s+<\[\]Object>/,
    ]) {
      assert.match(out, field);
    }
  });
});
