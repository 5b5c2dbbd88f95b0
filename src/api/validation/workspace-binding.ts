/** WorkspaceBinding checks (`workspace_validation.go`); the first problem of each binding only. */
import type { WorkspaceBinding } from "../types.js";
import { FieldError } from "./field-error.js";
import { validateNoDuplicateNames } from "./params.js";

const ALL_SOURCE_FIELDS = ["persistentvolumeclaim", "volumeclaimtemplate", "emptydir", "configmap", "secret"];
const SOURCES = [
  "volumeClaimTemplate",
  "persistentVolumeClaim",
  "emptyDir",
  "configMap",
  "secret",
  "projected",
  "csi",
] as const;

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** One binding; paths relative to it. */
export function validateWorkspaceBinding(b: WorkspaceBinding): FieldError {
  const fields = Object.entries(b as unknown as Record<string, unknown>).filter(
    ([, v]) => present(v) && v !== "",
  );
  if (fields.length === 0) return FieldError.missingField("");
  const n = SOURCES.filter((s) => present(b[s])).length;
  if (n > 1) return FieldError.multipleOneOf(...ALL_SOURCE_FIELDS);
  if (n === 0) return FieldError.missingOneOf(...ALL_SOURCE_FIELDS);
  if (b.persistentVolumeClaim && !b.persistentVolumeClaim.claimName) {
    return FieldError.missingField("persistentvolumeclaim.claimname");
  }
  if (b.configMap && !b.configMap.name) return FieldError.missingField("configmap.name");
  if (b.secret && !b.secret.secretName) return FieldError.missingField("secret.secretName");
  if (b.projected && (b.projected.sources ?? []).length === 0)
    return FieldError.missingField("projected.sources");
  if (b.csi && !b.csi.driver) return FieldError.missingField("csi.driver");
  return FieldError.empty();
}

/** All bindings plus case-insensitive duplicate names; paths `[i]...` (caller adds `workspaces`). */
export function validateWorkspaceBindings(bindings: readonly WorkspaceBinding[]): FieldError {
  let errs = FieldError.empty();
  for (const [i, b] of bindings.entries()) errs = errs.also(validateWorkspaceBinding(b).viaIndex(i));
  return errs.also(
    validateNoDuplicateNames(
      bindings.map((b) => b.name ?? ""),
      true,
    ),
  );
}
