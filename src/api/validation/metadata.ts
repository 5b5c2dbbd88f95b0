/** `validate.ObjectMetadata` and the name checks Kubernetes applies to core kinds. */
import type { ObjectMeta } from "../types.js";
import { FieldError, goQuote } from "./field-error.js";
import { isDNS1123Label, isDNS1123Subdomain } from "./k8s-names.js";

/**
 * Tekton's metadata check, paths under `metadata`. A name still to be generated from
 * `generateName` is not checked (the API server generates it before admission).
 */
export function validateObjectMetadata(meta: ObjectMeta | undefined): FieldError {
  const name = meta?.name ?? "";
  if (name === "" && (meta?.generateName ?? "") !== "") return FieldError.empty();
  if (isDNS1123Subdomain(name).length > 0) {
    return FieldError.of(`invalid resource name ${goQuote(name)}: must be a valid DNS label`, [
      "name",
    ]).viaField("metadata");
  }
  if (name.length > 63) {
    return FieldError.of("Invalid resource name: length must be no more than 63 characters", [
      "name",
    ]).viaField("metadata");
  }
  return FieldError.empty();
}

/**
 * Name check for core kinds (ConfigMap, Secret, ServiceAccount, PVC: DNS subdomain;
 * Namespace: DNS label), rendered as `Invalid value: "<name>": <reasons>: metadata.name`.
 */
export function validateCoreMetadata(kind: string, meta: ObjectMeta | undefined): FieldError {
  const name = meta?.name ?? "";
  if (name === "" && (meta?.generateName ?? "") !== "") return FieldError.empty();
  if (name === "") return FieldError.generic("name or generateName is required", "metadata.name");
  const problems = kind === "Namespace" ? isDNS1123Label(name) : isDNS1123Subdomain(name);
  if (problems.length === 0) return FieldError.empty();
  return FieldError.generic(`Invalid value: ${goQuote(name)}: ${problems.join(", ")}`, "metadata.name");
}
