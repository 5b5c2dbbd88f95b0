/** `StepAction.Validate` (`stepaction_validation.go`, v1beta1); paths from the StepAction root. */
import type { FeatureFlags } from "../../config/features.js";
import type { StepAction, StepActionSpec } from "../types.js";
import { FieldError } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { validateObjectMetadata } from "./metadata.js";
import {
  sortByType,
  validateNameFormat,
  validateNoDuplicateParamSpecs,
  validateObjectParamsHaveProperties,
  validateParameterTypes,
} from "./params.js";
import {
  extractExpressions,
  extractVariables,
  noEntireProhibitedVariables,
  noProhibitedVariables,
  noUnknownVariables,
  referenceIsIsolated,
} from "./refs.js";
import { validateStepActionResultsVariables, validateStepResults } from "./results.js";

type Check = (value: string, prefix: string, vars: ReadonlySet<string>) => FieldError;

function scan(
  sas: StepActionSpec,
  prefix: string,
  vars: ReadonlySet<string>,
  check: Check,
  listCheck: Check,
): FieldError {
  let errs = check(sas.image ?? "", prefix, vars).viaField("image");
  errs = errs.also(check(sas.script ?? "", prefix, vars).viaField("script"));
  for (const [i, c] of (sas.command ?? []).entries())
    errs = errs.also(listCheck(c, prefix, vars).viaFieldIndex("command", i));
  for (const [i, a] of (sas.args ?? []).entries())
    errs = errs.also(listCheck(a, prefix, vars).viaFieldIndex("args", i));
  for (const env of sas.env ?? [])
    errs = errs.also(check(env.value ?? "", prefix, vars).viaFieldKey("env", env.name));
  for (const [i, vm] of (sas.volumeMounts ?? []).entries())
    errs = errs.also(check(vm.name ?? "", prefix, vars).viaFieldIndex("volumeMounts", i));
  return errs;
}

function validateUsageOfDeclaredParameters(sas: StepActionSpec): FieldError {
  const params = sas.params ?? [];
  const objects = sortByType(params).object;
  let errs = scan(sas, "params", new Set(params.map((p) => p.name)), noUnknownVariables, noUnknownVariables);
  for (const p of objects) {
    const keys = new Set(Object.keys(p.properties ?? {}));
    errs = errs.also(scan(sas, "params\\." + p.name, keys, noUnknownVariables, noUnknownVariables));
  }
  const objectNames = new Set(objects.map((p) => p.name));
  errs = errs.also(
    scan(sas, "params", objectNames, noEntireProhibitedVariables, noEntireProhibitedVariables),
  );
  return errs.also(validateObjectParamsHaveProperties(params));
}

function validateParameterVariables(sas: StepActionSpec): FieldError {
  const params = sas.params ?? [];
  const byType = sortByType(params);
  const arrayNames = new Set(byType.array.map((p) => p.name));
  return validateNoDuplicateParamSpecs(params)
    .also(validateNameFormat(new Set([...byType.string.map((p) => p.name), ...arrayNames]), byType.object))
    .also(scan(sas, "params", arrayNames, noProhibitedVariables, referenceIsIsolated));
}

function validateVolumeMounts(sas: StepActionSpec): FieldError {
  const mounts = sas.volumeMounts ?? [];
  const names = new Set((sas.params ?? []).map((p) => p.name));
  let errs = FieldError.empty();
  for (const [idx, v] of mounts.entries()) {
    const found = extractExpressions(v.name ?? "", "params");
    if (found.length !== 1 || found[0] !== v.name) {
      return errs.also(
        FieldError.invalidValue(
          v.name ?? "",
          "name",
          "expect the Name to be a single param reference",
        ).viaIndex(idx),
      );
    }
    errs = errs.also(noUnknownVariables(v.name ?? "", "params", names).viaIndex(idx));
  }
  return errs;
}

/** StepActionSpec checks; paths relative to `spec`. */
export function validateStepActionSpec(sas: StepActionSpec, features: FeatureFlags): FieldError {
  let errs = FieldError.empty();
  if ((sas.image ?? "") === "") errs = errs.also(FieldError.missingField("Image"));
  const script = sas.script ?? "";
  if (script !== "") {
    if ((sas.command ?? []).length > 0)
      errs = errs.also(FieldError.of("script cannot be used with command", ["script"]));
    if (script.trim().startsWith("#!win")) {
      errs = errs.also(requireApiFields(features, "windows script support", "alpha").viaField("script"));
    }
    const { present, error } = extractVariables(script, "params");
    if (present || error !== "")
      errs = errs.also(FieldError.of("param substitution in scripts is not allowed.", ["script"]));
  }
  return errs
    .also(validateUsageOfDeclaredParameters(sas))
    .also(validateParameterTypes(sas.params ?? []).viaField("params"))
    .also(validateParameterVariables(sas))
    .also(validateStepActionResultsVariables(sas.results ?? [], script))
    .also(validateStepResults(sas.results ?? []).viaField("results"))
    .also(validateVolumeMounts(sas).viaField("volumeMounts"));
}

/** Validates a (defaulted) StepAction. */
export function validateStepAction(sa: StepAction, features: FeatureFlags): FieldError {
  return validateObjectMetadata(sa.metadata).also(
    validateStepActionSpec(sa.spec ?? {}, features).viaField("spec"),
  );
}
