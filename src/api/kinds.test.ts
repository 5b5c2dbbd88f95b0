import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DocumentHandling,
  Kinds,
  apiVersionsOf,
  isAdmitted,
  isRunKind,
  kindForApiVersion,
  kindInfo,
} from "./kinds.js";

test("a kind is known only in the versions it is served at", () => {
  assert.equal(kindForApiVersion("tekton.dev/v1beta1", "TaskRun")?.storageVersion, "v1");
  assert.equal(kindForApiVersion("tekton.dev/v1", "CustomRun"), undefined);
  assert.equal(kindForApiVersion("v1", "ConfigMap")?.plural, "configmaps");
  assert.deepEqual(apiVersionsOf(Kinds.StepAction), ["tekton.dev/v1beta1", "tekton.dev/v1alpha1"]);
});

test("Tekton kinds are admitted, core kinds are not; runs are the kinds with a Succeeded condition", () => {
  assert.equal(isAdmitted("TaskRun"), true);
  assert.equal(isAdmitted("ConfigMap"), false);
  assert.deepEqual(Object.keys(Kinds).filter(isRunKind), ["TaskRun", "PipelineRun", "CustomRun", "Run"]);
});

test("names that are not kinds are unknown, including Object's own keys", () => {
  assert.equal(kindInfo("toString"), undefined);
  assert.equal(kindInfo("Widget"), undefined);
});

test("file handling: pipelines are run, LimitRange ignored, pods not read from files", () => {
  assert.equal(Kinds.Pipeline.files, DocumentHandling.Supported);
  assert.equal(Kinds.PipelineRun.files, DocumentHandling.Supported);
  assert.equal(Kinds.LimitRange.files, DocumentHandling.Ignored);
  assert.equal(Kinds.Pod.files, undefined);
});
