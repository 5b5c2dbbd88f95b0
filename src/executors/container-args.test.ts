import { test } from "node:test";
import assert from "node:assert/strict";
import { runArgs } from "./container-args.js";
import { nonRootViolation, resolveArgv, type ImageConfig } from "./entrypoint-lookup.js";
import { memoryBytes, parseQuantity } from "./quantity.js";
import type { ContainerPlan } from "./executor.js";

const image = (entrypoint: string[], cmd: string[], user = ""): ImageConfig => ({
  id: "x",
  entrypoint,
  cmd,
  user,
  repoDigests: [],
});

void test("without a command, ENTRYPOINT takes args or else CMD, and no ENTRYPOINT means CMD + args", () => {
  assert.deepEqual(resolveArgv(undefined, ["-c", "echo hello"], image([], ["sh"])), [
    "sh",
    "-c",
    "echo hello",
  ]);
  assert.deepEqual(resolveArgv(undefined, [], image(["docker-entrypoint.sh"], ["bash"])), [
    "docker-entrypoint.sh",
    "bash",
  ]);
  assert.deepEqual(resolveArgv(undefined, ["-c", "x"], image(["docker-entrypoint.sh"], ["bash"])), [
    "docker-entrypoint.sh",
    "-c",
    "x",
  ]);
  assert.deepEqual(resolveArgv(["echo"], ["a"], image(["ep"], ["cmd"])), ["echo", "a"]);
  assert.deepEqual(resolveArgv(undefined, [], image([], [])), []);
});

void test("runAsNonRoot refuses root and unverifiable users like the kubelet", () => {
  assert.equal(nonRootViolation(undefined, undefined, ""), undefined);
  assert.match(nonRootViolation(true, undefined, "") ?? "", /image will run as root/);
  assert.match(nonRootViolation(true, 0, "1000") ?? "", /runAsUser breaks non-root policy/);
  assert.match(nonRootViolation(true, undefined, "nonroot") ?? "", /non-numeric user \(nonroot\)/);
  assert.equal(nonRootViolation(true, undefined, "1000:1000"), undefined);
  assert.equal(nonRootViolation(true, 1001, ""), undefined);
});

void test("parses Kubernetes quantities", () => {
  assert.equal(memoryBytes("64Mi"), 64 * 1024 * 1024);
  assert.equal(memoryBytes("1Gi"), 2 ** 30);
  assert.equal(memoryBytes("1G"), 1e9);
  assert.equal(parseQuantity("500m"), 0.5);
  assert.equal(parseQuantity("0.5"), 0.5);
  assert.equal(parseQuantity("1e3"), 1000);
  assert.equal(parseQuantity("12 apples"), undefined);
});

void test("builds run arguments: explicit entrypoint, mounts, env, user, limits", () => {
  const plan: ContainerPlan = {
    name: "step-a",
    image: "img",
    args: [],
    env: [{ name: "A", value: "b c" }],
    workingDir: "/w",
    mounts: [{ hostPath: "/h", containerPath: "/c", readOnly: true }],
    securityContext: { runAsGroup: 5, privileged: true, readOnlyRootFilesystem: true },
    resources: { limits: { memory: "64Mi", cpu: "500m" } },
    logPath: "/dev/null",
  };
  const args = runArgs(plan, {
    engine: "podman",
    name: "n",
    podArgs: ["--pod", "p"],
    image: "img",
    argv: ["sh", "-c", "x"],
    init: false,
    podSecurityContext: { runAsUser: 7, fsGroup: 9 },
    imageUser: "",
    labels: { l: "v" },
  });
  const has = (...seq: string[]): boolean => args.some((_, i) => seq.every((s, j) => args[i + j] === s));
  assert.ok(has("--entrypoint", '["sh"]'));
  assert.ok(has("--env", "A=b c"));
  assert.ok(has("--volume", "/h:/c:ro"));
  assert.ok(has("--workdir", "/w"));
  assert.ok(has("--user", "7:5"));
  assert.ok(has("--group-add", "9"));
  assert.ok(has("--memory", String(64 * 1024 * 1024)));
  assert.ok(has("--cpus", "0.5"));
  assert.ok(has("--privileged") && has("--read-only"));
  assert.deepEqual(args.slice(-3), ["img", "-c", "x"]);
  assert.throws(
    () =>
      runArgs(plan, {
        engine: "docker",
        name: "n",
        podArgs: [],
        image: "i",
        argv: [],
        init: false,
        imageUser: "",
        labels: {},
      }),
    /no command/,
  );
});
