import type { FeatureFlags } from "../../config/features.js";
import { ApiFields } from "../../config/features.js";
import { FieldError } from "./field-error.js";

/**
 * Tekton's `ValidateEnabledAPIFields`: a pathless error when `enable-api-fields` is less
 * permissive than `want` (it renders as `"<feature> requires ...": ` with a trailing colon-space).
 */
export function requireApiFields(
  features: FeatureFlags,
  feature: string,
  want: "alpha" | "beta",
): FieldError {
  const current = features.enableApiFields;
  if (want === ApiFields.Beta && current !== ApiFields.Beta && current !== ApiFields.Alpha) {
    return FieldError.generic(
      `${feature} requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "${current}"`,
    );
  }
  if (want === ApiFields.Alpha && current !== ApiFields.Alpha) {
    return FieldError.generic(
      `${feature} requires "enable-api-fields" feature gate to be "alpha" but it is "${current}"`,
    );
  }
  return FieldError.empty();
}
