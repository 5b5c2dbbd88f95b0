/**
 * Workspace variables (`$(workspaces.<w>.path|bound|claim|volume)`), the volume names Tekton
 * generates for bindings, and the claim names it gives volumeClaimTemplate bindings.
 */
import { createHash } from "node:crypto";
import type { Sidecar, Step, TaskSpec, WorkspaceBinding, WorkspaceDeclaration } from "../../api/types.js";
import { copySpec, replaceInTaskSpec, replaceSidecarFields, replaceStepFields } from "./fields.js";
import { joinPath } from "./paths.js";
import { stringReplacements } from "./replace.js";

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * `<prefix>-<suffix>` where the suffix is the hex FNV-1a hash of `name`, cut to `length`
 * characters or right-padded with `0` (Tekton's `names.GenerateHashedName`).
 */
export function hashedName(prefix: string, name: string, length = 5): string {
  if (length <= 0) length = 5;
  let suffix = fnv32a(name).toString(16);
  suffix = suffix.length > length ? suffix.slice(0, length) : suffix.padEnd(length, "0");
  return `${prefix}-${suffix}`;
}

/**
 * Volume name for each binding, as Tekton's `workspace.CreateVolumes`: `ws-<5 hex>` from the
 * binding name, re-hashed on collision; a PersistentVolumeClaim bound twice shares the first
 * binding's volume. Bindings without a source (and unconverted volumeClaimTemplates) get none.
 */
export function workspaceVolumeNames(bindings: readonly WorkspaceBinding[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  const byClaim = new Map<string, string>();
  for (const b of bindings) {
    let name = hashedName("ws", b.name);
    while (used.has(name)) name = hashedName("ws", `${name}$`);
    used.add(name);
    if (b.persistentVolumeClaim !== undefined) {
      const shared = byClaim.get(b.persistentVolumeClaim.claimName);
      if (shared !== undefined) {
        out.set(b.name, shared);
      } else {
        out.set(b.name, name);
        byClaim.set(b.persistentVolumeClaim.claimName, name);
      }
    } else if (b.emptyDir || b.configMap || b.secret || b.projected || b.csi) {
      out.set(b.name, name);
    }
  }
  return out;
}

/**
 * Claim name Tekton creates for a volumeClaimTemplate binding:
 * `<template name or "pvc">-<first 10 hex of sha256(workspace name + owner uid)>`.
 */
export function volumeClaimTemplateClaimName(binding: WorkspaceBinding, ownerUid: string): string {
  const base = binding.volumeClaimTemplate?.metadata?.name || "pvc";
  const hash = createHash("sha256")
    .update(binding.name + ownerUid)
    .digest("hex")
    .slice(0, 10);
  return `${base}-${hash}`;
}

/** Replaces volumeClaimTemplate bindings by bindings to the claims Tekton creates for them. */
export function applyVolumeClaimTemplates(
  bindings: readonly WorkspaceBinding[],
  ownerUid: string,
): WorkspaceBinding[] {
  return bindings.map((b) => {
    if (b.volumeClaimTemplate === undefined) return b;
    const out: WorkspaceBinding = { name: b.name };
    if (b.subPath !== undefined) out.subPath = b.subPath;
    out.persistentVolumeClaim = { claimName: volumeClaimTemplateClaimName(b, ownerUid) };
    return out;
  });
}

/** Declarations plus `{name}` for every binding the spec does not declare (propagation). */
export function propagateWorkspaceDeclarations(
  declarations: readonly WorkspaceDeclaration[] | undefined,
  bindings: readonly WorkspaceBinding[],
): WorkspaceDeclaration[] {
  const out = [...(declarations ?? [])];
  const names = new Set(out.map((d) => d.name));
  for (const b of bindings) {
    if (!names.has(b.name)) {
      out.push({ name: b.name });
      names.add(b.name);
    }
  }
  return out;
}

/** What the workspace variables of one declared workspace resolve to. */
export interface WorkspaceInfo {
  name: string;
  /** False only for an optional workspace with no binding. */
  bound: boolean;
  /** Declared mountPath, else `<workspace root>/<name>`; "" when unbound optional. */
  path: string;
  /** Bound claim name ("" for other sources); absent when unbound optional. */
  claim?: string;
  /** Generated volume name; absent when there is no volume. */
  volume?: string;
}

/** Workspace variable values for each declaration, given the (converted) bindings. */
export function workspaceInfos(
  declarations: readonly WorkspaceDeclaration[],
  bindings: readonly WorkspaceBinding[],
  workspaceRoot: string,
): WorkspaceInfo[] {
  const volumes = workspaceVolumeNames(bindings);
  const byName = new Map(bindings.map((b) => [b.name, b]));
  return declarations.map((d) => {
    const binding = byName.get(d.name);
    if (binding === undefined && d.optional === true) return { name: d.name, bound: false, path: "" };
    const info: WorkspaceInfo = {
      name: d.name,
      bound: true,
      path: d.mountPath !== undefined && d.mountPath !== "" ? d.mountPath : joinPath(workspaceRoot, d.name),
    };
    if (binding !== undefined) info.claim = binding.persistentVolumeClaim?.claimName ?? "";
    const volume = volumes.get(d.name);
    if (volume !== undefined) info.volume = volume;
    return info;
  });
}

function overridePath<T extends Step | Sidecar>(
  containers: T[] | undefined,
  workspace: string,
  variable: string,
  replace: (c: T, r: ReturnType<typeof stringReplacements>) => void,
): void {
  for (const c of containers ?? []) {
    for (const usage of c.workspaces ?? []) {
      if (usage.name === workspace && usage.mountPath !== undefined && usage.mountPath !== "") {
        replace(c, stringReplacements([[variable, usage.mountPath]]));
      }
    }
  }
}

/**
 * Phase 6 (Tekton's `ApplyWorkspaces`): for each declaration, `path` is first replaced in the
 * steps and sidecars that mount the workspace at their own `mountPath`, then everywhere with
 * the declared path; finally `bound`, `claim`, `volume` and unbound paths in one pass.
 * `spec.workspaces` must already include propagated declarations.
 */
export function applyWorkspaceVariables(
  spec: TaskSpec,
  bindings: readonly WorkspaceBinding[],
  workspaceRoot: string,
): TaskSpec {
  let out = spec;
  const final = new Map<string, string>();
  for (const info of workspaceInfos(spec.workspaces ?? [], bindings, workspaceRoot)) {
    const prefix = `workspaces.${info.name}.`;
    final.set(`${prefix}bound`, info.bound ? "true" : "false");
    if (!info.bound) {
      final.set(`${prefix}path`, "");
      continue;
    }
    const variable = `${prefix}path`;
    out = copySpec(out);
    overridePath(out.steps, info.name, variable, replaceStepFields);
    overridePath(out.sidecars, info.name, variable, replaceSidecarFields);
    out = replaceInTaskSpec(out, stringReplacements([[variable, info.path]]));
  }
  for (const [name, volume] of workspaceVolumeNames(bindings)) final.set(`workspaces.${name}.volume`, volume);
  for (const b of bindings) final.set(`workspaces.${b.name}.claim`, b.persistentVolumeClaim?.claimName ?? "");
  return replaceInTaskSpec(out, stringReplacements(final));
}
