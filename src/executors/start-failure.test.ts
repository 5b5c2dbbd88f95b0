import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyStartFailure } from "./start-failure.js";

void test("a command the runtime cannot find is the entrypoint's exec error, exit code 1", () => {
  assert.deepEqual(
    classifyStartFailure(
      'runc: runc create failed: unable to start container process: exec: "no-such-command": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found',
    ),
    {
      ended: "startFailed",
      exitCode: 1,
      message: 'Error executing command: exec: "no-such-command": executable file not found in $PATH',
    },
  );
  // docker (containerd) words it with its own prefix and suffix.
  assert.equal(
    classifyStartFailure(
      'failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    ).message,
    'Error executing command: exec: "nope": executable file not found in $PATH',
  );
});

void test("a missing or non-executable path reads as Go's fork/exec error", () => {
  assert.equal(
    classifyStartFailure(
      'runc create failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory: OCI runtime attempted to invoke a command that was not found',
    ).message,
    "Error executing command: fork/exec /nope: no such file or directory",
  );
  assert.equal(
    classifyStartFailure(
      'runc create failed: unable to start container process: exec: "/etc/passwd": permission denied: OCI permission denied',
    ).message,
    "Error executing command: fork/exec /etc/passwd: permission denied",
  );
});

void test("any other runtime refusal is Kubernetes' StartError with exit code 128 and the runtime's message", () => {
  const message =
    "OCI runtime error: runc: runc create failed: unable to start container process: error during container init: error setting cgroup config for procHooks process: unable to set memory limit to 1000 (current usage: 2506752, peak usage: 3039232)";
  assert.deepEqual(classifyStartFailure(`${message}\n`), { ended: "startError", exitCode: 128, message });
});
