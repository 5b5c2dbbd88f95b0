/** `validateRef` (`container_validation.go`), shared by TaskRun `taskRef` and Step `ref`. */
import type { FeatureFlags } from "../../config/features.js";
import type { Param } from "../types.js";
import { FieldError } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { isQualifiedName } from "./k8s-names.js";
import { validateNoDuplicateNames } from "./params.js";

const URL_LIKE = /[\w-]+:\/\/*/;
const CONCISE =
  "feature flag enable-concise-resolver-syntax should be set to true to use concise resolver syntax";

/** A name that looks like `scheme://...` (concise resolver syntax). */
export function refNameLikeUrl(name: string): boolean {
  return URL_LIKE.test(name);
}

/** Checks a reference's name/resolver/params; paths relative to the ref. */
export function validateRef(
  ref: { name?: string; resolver?: string; params?: Param[] },
  features: FeatureFlags,
): FieldError {
  const name = ref.name ?? "";
  const resolver = ref.resolver ?? "";
  const params = ref.params;
  let errs = FieldError.empty();
  if (resolver !== "" || params !== undefined) {
    if (params !== undefined) {
      errs = errs.also(requireApiFields(features, "resolver params", "beta").viaField("params"));
      if (name !== "") errs = errs.also(FieldError.multipleOneOf("name", "params"));
      if (resolver === "") errs = errs.also(FieldError.missingField("resolver"));
      errs = errs.also(
        validateNoDuplicateNames(
          params.map((p) => p.name),
          false,
        ),
      );
    }
    if (resolver !== "") {
      errs = errs.also(requireApiFields(features, "resolver", "beta").viaField("resolver"));
      if (name !== "") {
        if (refNameLikeUrl(name)) {
          if (!features.enableConciseResolverSyntax) errs = errs.also(FieldError.generic(CONCISE, ""));
        } else {
          errs = errs.also(FieldError.invalidValue("invalid URI for request", "name"));
        }
      }
    }
    return errs;
  }
  if (name !== "") {
    if (refNameLikeUrl(name)) {
      if (!features.enableConciseResolverSyntax) errs = errs.also(FieldError.generic(CONCISE, ""));
      errs = errs.also(FieldError.missingField("resolver"));
    } else {
      const problems = isQualifiedName(name);
      if (problems.length > 0) errs = errs.also(FieldError.invalidValue(problems.join(","), "name"));
    }
    return errs;
  }
  return FieldError.missingField("name");
}
