import { test } from "node:test";
import assert from "node:assert/strict";
import { expandContainerEnv, expandKubernetesList, expandKubernetesVars } from "./kubernetes.js";

void test("expands known variables, unescapes $$ and keeps unknown references as typed", () => {
  const vars = { HOME: "/root", X: "1" };
  assert.equal(expandKubernetesVars("$(HOME)/a", vars), "/root/a");
  assert.equal(expandKubernetesVars("$$(HOME) $$X $", vars), "$(HOME) $X $");
  assert.equal(
    expandKubernetesVars("$(NOPE) $(steps.s.results.r) $X $(unterminated", vars),
    "$(NOPE) $(steps.s.results.r) $X $(unterminated",
  );
});

void test("expands env values against variables defined before them only", () => {
  const env = expandContainerEnv([
    { name: "A", value: "a" },
    { name: "B", value: "$(A)-$(C)" },
    { name: "C", value: "c" },
    { name: "D", resolved: "$(A)" },
  ]);
  assert.deepEqual(
    [...env],
    [
      ["A", "a"],
      ["B", "a-$(C)"],
      ["C", "c"],
      ["D", "$(A)"],
    ],
  );
});

void test("expands command and args from the final env", () => {
  assert.deepEqual(expandKubernetesList(["echo", "$(C)", "$$(C)"], new Map([["C", "c"]])), [
    "echo",
    "c",
    "$(C)",
  ]);
  assert.equal(expandKubernetesList(undefined, {}), undefined);
});
