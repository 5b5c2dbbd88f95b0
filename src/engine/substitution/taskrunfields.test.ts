import { test } from "node:test";
import assert from "node:assert/strict";
import { substitutePodTemplate, substituteWorkspaceBindings } from "./taskrunfields.js";

const params = new Map<string, string | string[] | Record<string, string>>([
  ["claim", "my-pvc"],
  ["arr", ["a0", "a1"]],
  ["o", { k: "ov" }],
]);

void test("substitutes string params, indexes and object keys in workspace bindings", () => {
  const out = substituteWorkspaceBindings(
    [
      { name: "w", subPath: "$(params.arr[1])", persistentVolumeClaim: { claimName: "$(params.claim)" } },
      {
        name: "c",
        configMap: { name: "$(params.o.k)", items: [{ key: "$(params.claim)", path: "$(params.arr)" }] },
      },
      { name: "s", secret: { secretName: "sec-$(params.claim)" } },
    ],
    params,
  );
  assert.deepEqual(out, [
    { name: "w", subPath: "a1", persistentVolumeClaim: { claimName: "my-pvc" } },
    { name: "c", configMap: { name: "ov", items: [{ key: "my-pvc", path: "$(params.arr)" }] } },
    { name: "s", secret: { secretName: "sec-my-pvc" } },
  ]);
});

void test("substitutes params in podTemplate env, volumes and scheduling fields", () => {
  const out = substitutePodTemplate(
    {
      env: [{ name: "E_$(params.claim)", value: "$(params.o.k)" }],
      volumes: [{ name: "v", persistentVolumeClaim: { claimName: "$(params.claim)" } }],
      nodeSelector: { "$(params.claim)": "$(params.arr[0])" },
      schedulerName: "$(params.claim)",
      securityContext: { runAsUser: 1 },
    },
    params,
  );
  assert.deepEqual(out, {
    env: [{ name: "E_my-pvc", value: "ov" }],
    volumes: [{ name: "v", persistentVolumeClaim: { claimName: "my-pvc" } }],
    nodeSelector: { "my-pvc": "a0" },
    schedulerName: "my-pvc",
    securityContext: { runAsUser: 1 },
  });
  assert.equal(substitutePodTemplate(undefined, params), undefined);
});
