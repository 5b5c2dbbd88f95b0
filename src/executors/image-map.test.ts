import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mapImage, parseImageMapArg, parseImageMapFile } from "./image-map.js";

void test("a rule without tag maps the repository whatever its tag or digest", () => {
  const map = [parseImageMapArg("mirror.gcr.io/bash=localhost/tektite/bash:5")];
  assert.equal(mapImage("mirror.gcr.io/bash@sha256:e320b40b14", map), "localhost/tektite/bash:5");
  assert.equal(mapImage("mirror.gcr.io/bash:5.1", map), "localhost/tektite/bash:5");
  assert.equal(mapImage("mirror.gcr.io/bash", map), "localhost/tektite/bash:5");
  assert.equal(mapImage("mirror.gcr.io/bashful", map), "mirror.gcr.io/bashful");
});

void test("short names and their docker.io spellings are the same image", () => {
  const map = [{ from: "docker.io/library/ubuntu", to: "deb" }];
  assert.equal(mapImage("ubuntu", map), "deb");
  assert.equal(mapImage("ubuntu:22.04", map), "deb");
  assert.equal(mapImage("library/ubuntu", map), "deb");
  assert.equal(mapImage("mirror.gcr.io/ubuntu", map), "mirror.gcr.io/ubuntu");
  assert.equal(mapImage("docker.io/library/ubuntu", [{ from: "ubuntu", to: "deb" }]), "deb");
});

void test("docker.io/python:3, docker.io/library/python:3 and python:3 are one image for a rule", () => {
  for (const from of [
    "python:3",
    "docker.io/python:3",
    "docker.io/library/python:3",
    "index.docker.io/python:3",
  ]) {
    const map = [{ from, to: "py" }];
    assert.equal(mapImage("python:3", map), "py", from);
    assert.equal(mapImage("docker.io/python:3", map), "py", from);
    assert.equal(mapImage("docker.io/library/python:3", map), "py", from);
    assert.equal(mapImage("python:3.12", map), "python:3.12", from);
  }
});

void test("an image without tag is the tag latest, and a rule for latest maps it", () => {
  const map = [{ from: "docker.io/library/alpine:latest", to: "al" }];
  assert.equal(mapImage("alpine", map), "al");
  assert.equal(mapImage("alpine:latest", map), "al");
  assert.equal(mapImage("alpine@sha256:aa", map), "alpine@sha256:aa");
  assert.equal(mapImage("alpine:3", map), "alpine:3");
});

void test("a tagged rule maps only that tag, a digest rule only that digest", () => {
  const map = [
    { from: "python:3.12.4", to: "py" },
    { from: "busybox@sha256:aa", to: "bb" },
  ];
  assert.equal(mapImage("python:3.12.4", map), "py");
  assert.equal(mapImage("python:3.11", map), "python:3.11");
  assert.equal(mapImage("busybox@sha256:aa", map), "bb");
  assert.equal(mapImage("busybox@sha256:bb", map), "busybox@sha256:bb");
});

void test("globs match any run of characters, and exact rules win over globs", () => {
  const map = [
    { from: "mirror.gcr.io/*", to: "any-mirror" },
    { from: "mirror.gcr.io/ubuntu", to: "deb" },
    { from: "*busybox*", to: "bb" },
  ];
  assert.equal(mapImage("mirror.gcr.io/ubuntu@sha256:0d", map), "deb");
  assert.equal(mapImage("mirror.gcr.io/perl:5", map), "any-mirror");
  assert.equal(mapImage("cgr.dev/chainguard/busybox@sha256:62", map), "bb");
  assert.equal(mapImage("gcr.io/other", map), "gcr.io/other");
});

void test("the first matching rule wins, so command-line rules put first override the file", () => {
  const map = [parseImageMapArg("ubuntu=mine"), ...parseImageMapFile("ubuntu: theirs\n")];
  assert.equal(mapImage("ubuntu", map), "mine");
});

void test("reads a mapping file or a list file, and rejects malformed entries", () => {
  assert.deepEqual(parseImageMapFile("# none\n"), []);
  assert.deepEqual(parseImageMapFile("- from: a\n  to: b\n"), [{ from: "a", to: "b" }]);
  assert.throws(() => parseImageMapFile("a: [1]\n"), /target must be a string/);
  assert.throws(() => parseImageMapArg("ubuntu"), /expected FROM=TO/);
});

void test("the shipped image map covers every runnable image of Tekton's TaskRun examples", () => {
  const map = parseImageMapFile(
    readFileSync(new URL("../../../images/image-map.yaml", import.meta.url), "utf8"),
  );
  const expected: Record<string, string> = {
    "mirror.gcr.io/ubuntu@sha256:0d39fcc8335d6d74d5502f6df2d30119ff4790ebbb60b364818d5112d9e3e932":
      "localhost/tektite/debian:bookworm",
    ubuntu: "localhost/tektite/debian:bookworm",
    "mirror.gcr.io/bash@sha256:e320b40b14abc61f053286705070342c46034a549a276b798e64541457c4af92":
      "localhost/tektite/bash:5",
    "mirror.gcr.io/busybox@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0":
      "localhost/tektite/busybox:latest",
    "cgr.dev/chainguard/busybox@sha256:6202d571cc9c86302d4bd1eef6d2235d2b81b7dfc509cf7eee621f4d73175807":
      "localhost/tektite/busybox:latest",
    "mirror.gcr.io/alpine@sha256:25109184c71bdad752c8312a8623239686a9a2071e8825f20acb8f2198c3f659":
      "localhost/tektite/alpine:latest",
    "mirror.gcr.io/alpine/git:v2.26.2": "localhost/tektite/alpine-git:latest",
    "ghcr.io/tektoncd/plumbing/alpine-git-nonroot:latest": "localhost/tektite/alpine-git-nonroot:latest",
    "mirror.gcr.io/python:3.12.4": "localhost/tektite/python:3",
    "mirror.gcr.io/node@sha256:2289fb1f": "localhost/tektite/node:18",
    "mirror.gcr.io/perl@sha256:e1ec4246": "localhost/tektite/perl:5",
    "ghcr.io/tektoncd/pipeline/nop-8eac7c133edad5df719dc37b36b62482@sha256:5a58":
      "localhost/tektite/nop:latest",
  };
  for (const [from, to] of Object.entries(expected)) assert.equal(mapImage(from, map), to, from);
});
