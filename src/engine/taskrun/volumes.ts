/**
 * Materialises Kubernetes volumes and Tekton workspace bindings as host directories:
 * emptyDir per attempt, a persistent directory per PersistentVolumeClaim, files for
 * ConfigMaps and Secrets. No name or subPath can lead outside the directory it belongs to.
 * The directories and files are recorded as {@link DiskEffects}, not made here.
 */
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { KeyToPath, Volume, WorkspaceBinding } from "../../api/types.js";
import type { DiskEffects } from "./disk-effects.js";
import { ContainerConfigError, configMapData, secretData, type ObjectLookup } from "./env.js";
import { volumeClaimTemplateClaimName } from "../substitution/index.js";

/** A path inside `base`, refusing anything that would escape it (`..`, absolute paths, empty names). */
export class PathEscapeError extends Error {
  override readonly name = "PathEscapeError";
}

export function safeJoin(base: string, ...parts: string[]): string {
  for (const p of parts) {
    if (p === "" || isAbsolute(p) || p.includes("\0")) {
      throw new PathEscapeError(
        `invalid path ${JSON.stringify(p)}: must be a relative path inside its volume`,
      );
    }
  }
  const full = resolve(base, ...parts);
  const rel = relative(resolve(base), full);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new PathEscapeError(`invalid path ${JSON.stringify(parts.join("/"))}: must not leave its volume`);
  }
  return full;
}

/** A single path segment such as a claim or volume name: no separators, not `.` or `..`. */
export function safeName(base: string, name: string): string {
  if (
    name === "" ||
    name === "." ||
    name === ".." ||
    name.includes("/") ||
    name.includes("\\") ||
    name.includes("\0")
  ) {
    throw new PathEscapeError(`invalid name ${JSON.stringify(name)}`);
  }
  return join(base, name);
}

function writeKeyFiles(
  fx: DiskEffects,
  dir: string,
  data: Record<string, string>,
  items: KeyToPath[] | undefined,
  mode: number | undefined,
  kind: string,
  name: string,
): void {
  fx.mkdir(dir);
  const entries: Array<{ key: string; path: string; mode?: number }> =
    items && items.length > 0 ? items : Object.keys(data).map((key) => ({ key, path: key }));
  for (const item of entries) {
    const value = data[item.key];
    if (value === undefined) {
      throw new ContainerConfigError(
        kind === "Secret"
          ? `secret "${name}" references non-existent secret key: ${item.key}`
          : `configmap "${name}" references non-existent config key: ${item.key}`,
      );
    }
    const file = safeJoin(dir, item.path);
    fx.mkdir(dirname(file));
    fx.writeFile(file, value, { chmod: item.mode ?? mode ?? 0o644 });
  }
}

export interface VolumeDirs {
  /** Per-attempt scratch space (emptyDir, ConfigMap and Secret files). */
  attemptDir: string;
  /** Where PersistentVolumeClaims live, shared across runs: `<dataDir>/pvcs/<namespace>`. */
  claimsDir: string;
  /**
   * Where the claims of the TaskRun's volumeClaimTemplate workspaces live: owned by the TaskRun
   * (kept across its retries, removed with it, as Tekton's owned PVCs are), named from its uid.
   */
  runClaims: { dir: string; ownerUid: string };
}

export interface MaterialisedVolume {
  hostPath: string;
  readOnly: boolean;
}

/** Creates the host directory behind a Task `volumes[]` entry. */
export function materialiseVolume(
  fx: DiskEffects,
  v: Volume,
  dirs: VolumeDirs,
  lookup: ObjectLookup,
): MaterialisedVolume {
  const own = safeName(join(dirs.attemptDir, "volumes"), v.name);
  if (v.configMap) {
    // An omitted name is Go's zero value, "" (`omitempty`), which names no ConfigMap.
    const name = v.configMap.name ?? "";
    const cm = lookup.configMap(name);
    if (cm === undefined) {
      if (v.configMap.optional) return { hostPath: mk(fx, own), readOnly: true };
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    writeKeyFiles(fx, own, configMapData(cm), v.configMap.items, v.configMap.defaultMode, "ConfigMap", name);
    return { hostPath: own, readOnly: true };
  }
  if (v.secret) {
    const name = v.secret.secretName ?? "";
    const s = lookup.secret(name);
    if (s === undefined) {
      if (v.secret.optional) return { hostPath: mk(fx, own), readOnly: true };
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    writeKeyFiles(fx, own, secretData(s), v.secret.items, v.secret.defaultMode, "Secret", name);
    return { hostPath: own, readOnly: true };
  }
  if (v.persistentVolumeClaim) {
    return {
      hostPath: mk(fx, safeName(dirs.claimsDir, v.persistentVolumeClaim.claimName)),
      readOnly: v.persistentVolumeClaim.readOnly ?? false,
    };
  }
  if (v.hostPath) return { hostPath: v.hostPath.path, readOnly: false };
  if (v.projected) {
    fx.mkdir(own);
    for (const src of (v.projected.sources ?? []) as Array<
      Record<string, { name?: string; items?: KeyToPath[] } | undefined>
    >) {
      const cmRef = src["configMap"];
      const secRef = src["secret"];
      if (cmRef?.name) {
        const cm = lookup.configMap(cmRef.name);
        if (cm)
          writeKeyFiles(
            fx,
            own,
            configMapData(cm),
            cmRef.items,
            v.projected.defaultMode,
            "ConfigMap",
            cmRef.name,
          );
      }
      if (secRef?.name) {
        const s = lookup.secret(secRef.name);
        if (s)
          writeKeyFiles(fx, own, secretData(s), secRef.items, v.projected.defaultMode, "Secret", secRef.name);
      }
    }
    return { hostPath: own, readOnly: true };
  }
  // emptyDir, or no source at all (Kubernetes defaults that to emptyDir).
  return { hostPath: mk(fx, own, 0o777), readOnly: false };
}

function mk(fx: DiskEffects, dir: string, chmod?: number): string {
  return fx.mkdir(dir, chmod !== undefined ? { chmod } : {});
}

export interface MaterialisedWorkspace extends MaterialisedVolume {
  /** `$(workspaces.<w>.claim)`: the claim name, generated for a volumeClaimTemplate, else "". */
  claim: string;
  /** `$(workspaces.<w>.volume)`: the generated volume name, when known. */
  volume?: string;
}

/** Creates the host directory behind a TaskRun workspace binding, honouring subPath. */
export function materialiseWorkspace(
  fx: DiskEffects,
  b: WorkspaceBinding,
  dirs: VolumeDirs,
  lookup: ObjectLookup,
): MaterialisedWorkspace {
  let base: MaterialisedVolume;
  let claim = "";
  if (b.persistentVolumeClaim) {
    claim = b.persistentVolumeClaim.claimName;
    base = {
      hostPath: mk(fx, safeName(dirs.claimsDir, claim)),
      readOnly: b.persistentVolumeClaim.readOnly ?? false,
    };
  } else if (b.volumeClaimTemplate) {
    claim = volumeClaimTemplateClaimName(b, dirs.runClaims.ownerUid);
    base = { hostPath: mk(fx, safeName(dirs.runClaims.dir, claim)), readOnly: false };
  } else if (b.configMap) {
    base = materialiseVolume(fx, { name: `ws-${b.name}`, configMap: b.configMap }, dirs, lookup);
  } else if (b.secret) {
    base = materialiseVolume(fx, { name: `ws-${b.name}`, secret: b.secret }, dirs, lookup);
  } else if (b.projected) {
    base = materialiseVolume(fx, { name: `ws-${b.name}`, projected: b.projected }, dirs, lookup);
  } else {
    base = {
      hostPath: mk(fx, safeName(join(dirs.attemptDir, "workspaces"), b.name), 0o777),
      readOnly: false,
    };
  }
  if (b.subPath) {
    const sub = safeJoin(base.hostPath, b.subPath);
    fx.mkdir(sub);
    return { hostPath: sub, readOnly: base.readOnly, claim };
  }
  return { ...base, claim };
}
