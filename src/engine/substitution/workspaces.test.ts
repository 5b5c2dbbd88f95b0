import { test } from "node:test";
import assert from "node:assert/strict";
import {
  hashedName,
  volumeClaimTemplateClaimName,
  workspaceInfos,
  workspaceVolumeNames,
} from "./workspaces.js";

void test("hashes names exactly as Tekton's GenerateHashedName", () => {
  assert.equal(hashedName("ws", "workspace-name"), "ws-d70ba");
  assert.equal(hashedName("ws", "workspace-name", 10), "ws-d70baf7a00");
  assert.equal(hashedName("ws", "workspace-name", -1), "ws-d70ba");
  assert.equal(hashedName("ws", "test-01097628"), "ws-f32ff");
  assert.equal(hashedName("ws", "custom"), "ws-20573");
});

void test("gives each binding a volume name and shares the volume of a claim bound twice", () => {
  const names = workspaceVolumeNames([
    { name: "custom", persistentVolumeClaim: { claimName: "mypvc" } },
    { name: "even-more-custom", persistentVolumeClaim: { claimName: "myotherpvc" } },
    { name: "custom2", persistentVolumeClaim: { claimName: "mypvc" } },
    { name: "nosource" },
  ]);
  assert.deepEqual(
    [...names],
    [
      ["custom", "ws-20573"],
      ["even-more-custom", "ws-338c2"],
      ["custom2", "ws-20573"],
    ],
  );
});

void test("names a volumeClaimTemplate claim from its template name or pvc", () => {
  const named = volumeClaimTemplateClaimName(
    { name: "w", volumeClaimTemplate: { metadata: { name: "tmpl" } } },
    "uid",
  );
  const anonymous = volumeClaimTemplateClaimName({ name: "w", volumeClaimTemplate: {} }, "uid");
  assert.match(named, /^tmpl-[0-9a-f]{10}$/);
  assert.equal(anonymous, `pvc-${named.slice("tmpl-".length)}`);
});

void test("reports unbound optional workspaces as not bound with an empty path", () => {
  const infos = workspaceInfos(
    [
      { name: "opt", optional: true },
      { name: "cm", mountPath: "/etc/cm" },
    ],
    [{ name: "cm", configMap: { name: "x" } }],
    "/workspace",
  );
  assert.deepEqual(infos, [
    { name: "opt", bound: false, path: "" },
    { name: "cm", bound: true, path: "/etc/cm", claim: "", volume: hashedName("ws", "cm") },
  ]);
});
