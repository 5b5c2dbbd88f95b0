import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cleanPath, hostPathFor } from "./mounts.js";

void describe("hostPathFor", () => {
  const mounts = [
    { hostPath: "/h/ws", containerPath: "/workspace", readOnly: false },
    { hostPath: "/h/data", containerPath: "/workspace/data/", readOnly: false },
    { hostPath: "/h/results", containerPath: "/tekton/results", readOnly: false },
  ];

  void it("maps through the longest matching mount", () => {
    assert.equal(hostPathFor(mounts, "/workspace/data/x/y"), "/h/data/x/y");
    assert.equal(hostPathFor(mounts, "/workspace/other"), "/h/ws/other");
    assert.equal(hostPathFor(mounts, "/workspace"), "/h/ws");
    assert.equal(hostPathFor(mounts, "/tekton/results/r"), "/h/results/r");
  });

  void it("does not match a sibling that merely shares a prefix", () => {
    assert.equal(hostPathFor(mounts, "/workspaces/x"), undefined);
    assert.equal(hostPathFor(mounts, "/etc/passwd"), undefined);
  });

  void it("cannot climb out of a mount with ..", () => {
    assert.equal(hostPathFor(mounts, "/workspace/data/../../etc/passwd"), undefined);
    assert.equal(hostPathFor(mounts, "/workspace/data/../b"), "/h/ws/b");
  });

  void it("cleans paths like filepath.Clean", () => {
    assert.equal(cleanPath("/a//b/./c/"), "/a/b/c");
    assert.equal(cleanPath("/"), "/");
    assert.equal(cleanPath("/a/../.."), "/");
  });
});
