import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalImage, parseImageRef } from "./image-ref.js";

void test("Docker Hub names gain docker.io and library/ as Docker's reference grammar adds them", () => {
  assert.deepEqual(parseImageRef("ubuntu"), { repository: "docker.io/library/ubuntu" });
  assert.deepEqual(parseImageRef("user/app:1"), { repository: "docker.io/user/app", tag: "1" });
  assert.deepEqual(parseImageRef("docker.io/python:3"), { repository: "docker.io/library/python", tag: "3" });
  assert.deepEqual(parseImageRef("index.docker.io/library/bash:5.1@sha256:ab"), {
    repository: "docker.io/library/bash",
    tag: "5.1",
    digest: "sha256:ab",
  });
  assert.deepEqual(parseImageRef("index.docker.io/tektoncd/x"), { repository: "docker.io/tektoncd/x" });
});

void test("a first component with a dot, a port, localhost or a capital letter is a registry", () => {
  assert.deepEqual(parseImageRef("localhost:5000/x@sha256:ab"), {
    repository: "localhost:5000/x",
    digest: "sha256:ab",
  });
  assert.equal(parseImageRef("localhost/tektite/bash:5").repository, "localhost/tektite/bash");
  assert.equal(
    parseImageRef("gcr.io/tekton-releases/git-init").repository,
    "gcr.io/tekton-releases/git-init",
  );
  assert.equal(parseImageRef("registry:5000/app").repository, "registry:5000/app");
  assert.equal(parseImageRef("Myhost/app").repository, "Myhost/app");
  assert.equal(parseImageRef("myhost/app").repository, "docker.io/myhost/app");
  // Only index.docker.io is Docker Hub's alias; other hosts are kept as written.
  assert.equal(parseImageRef("registry-1.docker.io/library/x").repository, "registry-1.docker.io/library/x");
});

void test("every spelling of one image has one canonical form, with the default tag latest", () => {
  const same = ["python:3", "docker.io/python:3", "docker.io/library/python:3", "index.docker.io/python:3"];
  assert.deepEqual(
    same.map(canonicalImage),
    same.map(() => "docker.io/library/python:3"),
  );
  assert.equal(canonicalImage("alpine"), "docker.io/library/alpine:latest");
  assert.equal(canonicalImage("alpine:latest"), "docker.io/library/alpine:latest");
  assert.equal(canonicalImage("alpine@sha256:aa"), "docker.io/library/alpine@sha256:aa");
  assert.equal(canonicalImage("alpine:3@sha256:aa"), "docker.io/library/alpine:3@sha256:aa");
  assert.equal(canonicalImage("localhost:5000/x"), "localhost:5000/x:latest");
});
