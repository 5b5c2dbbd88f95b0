/** `Sidecar.Validate`. Tekton validates the list without indexes, so paths are `sidecars.<field>`. */
import type { Sidecar } from "../types.js";
import { FieldError } from "./field-error.js";
import { RESULTS_SIDECAR } from "../pod-paths.js";

/** One sidecar; paths relative to it. */
export function validateSidecar(sc: Sidecar): FieldError {
  let errs = FieldError.empty();
  if (sc.name === RESULTS_SIDECAR) {
    errs = errs.also(FieldError.of(`Invalid: cannot use reserved sidecar name ${sc.name} `, ["name"]));
  }
  if ((sc.image ?? "") === "") errs = errs.also(FieldError.missingField("image"));
  if ((sc.script ?? "") !== "" && (sc.command ?? []).length > 0) {
    errs = errs.also(FieldError.of("script cannot be used with command", ["script"]));
  }
  return errs;
}

/** All sidecars, without index in the paths (Tekton quirk). */
export function validateSidecars(sidecars: readonly Sidecar[]): FieldError {
  let errs = FieldError.empty();
  for (const sc of sidecars) errs = errs.also(validateSidecar(sc));
  return errs;
}
