import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podFailureCondition, type FailedContainer } from "./pod-failure.js";

const step = (name: string, exitCode = 1, terminatedReason = "Error", timedOut = false): FailedContainer => ({
  container: `step-${name}`,
  role: "step",
  exitCode,
  terminatedReason,
  timedOut,
});
const sidecar = (name: string, exitCode = 1, terminatedReason = "Error"): FailedContainer => ({
  container: `sidecar-${name}`,
  role: "sidecar",
  exitCode,
  terminatedReason,
  timedOut: false,
});

void describe("podFailureCondition (current Tekton)", () => {
  void it("names a failed step StepFailed with the container's termination reason", () => {
    assert.deepEqual(podFailureCondition("v1.15", [step("build", 2)]), {
      reason: "StepFailed",
      message: '"step-build" exited with code 2: Error',
    });
  });

  void it("ranks sidecar OOM, step OOM, sidecar failure, step failure", () => {
    assert.equal(podFailureCondition("v1.15", [step("a"), sidecar("s")])?.reason, "SidecarFailed");
    assert.deepEqual(podFailureCondition("v1.15", [step("a"), sidecar("s"), step("b", 137, "OOMKilled")]), {
      reason: "StepOOM",
      message: '"step-b" exited with code 137: OOMKilled',
    });
    assert.equal(
      podFailureCondition("v1.15", [step("b", 137, "OOMKilled"), sidecar("s", 137, "OOMKilled")])?.reason,
      "SidecarOOM",
    );
  });

  void it("describes a step killed at its timeout with Tekton's timeout message", () => {
    assert.deepEqual(podFailureCondition("v1.15", [step("slow", 1, "Error", true)]), {
      reason: "StepFailed",
      message: '"step-slow" exited because the step exceeded the specified timeout limit',
    });
  });

  void it("is undefined when no container failed", () => {
    assert.equal(podFailureCondition("v1.15", []), undefined);
  });
});

void describe("podFailureCondition (v1.11)", () => {
  void it("says Failed and describes the first failed container in pod order", () => {
    assert.deepEqual(podFailureCondition("v1.11", [step("a", 3), sidecar("s")]), {
      reason: "Failed",
      message: '"step-a" exited with code 3: Error',
    });
    assert.equal(podFailureCondition("v1.11", [step("b", 137, "OOMKilled")])?.reason, "Failed");
  });
});
