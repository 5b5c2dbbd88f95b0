/**
 * `validateInlineParameters` (`taskrun_validation.go`): for an inline taskSpec, the TaskRun's params
 * count as declarations (propagation) and are merged with the spec's params before the usage
 * checks. Paths are `steps[i]...` / `<param>.properties`, which the caller prefixes with `spec`
 * only (no `taskSpec`), as Tekton does.
 */
import type { FeatureFlags } from "../../config/features.js";
import type { Param, ParamSpec, PropertySpec, TaskSpec } from "../types.js";
import { FieldError } from "./field-error.js";
import { validateParameterVariables, validateUsageOfDeclaredParameters } from "./param-usage.js";
import { validateParameterTypes, valueType } from "./params.js";

/** `createParamSpecFromParam`: a run's param as a declaration (propagation). */
export function specFromParam(p: Param): ParamSpec {
  const type = valueType(p.value);
  const spec: ParamSpec = { name: p.name, type, default: p.value };
  if (type === "object") {
    const props: Record<string, PropertySpec> = {};
    for (const k of Object.keys(p.value as Record<string, string>)) props[k] = { type: "string" };
    spec.properties = props;
  }
  return spec;
}

/** `combineParamSpec`: merges a declaration into the run's params (in place). */
export function combine(p: ParamSpec, specs: Map<string, ParamSpec>): FieldError {
  const fromRun = specs.get(p.name);
  if (fromRun === undefined) {
    specs.set(p.name, p);
    return FieldError.empty();
  }
  const combined: ParamSpec = { ...fromRun };
  if (p.default !== undefined && valueType(p.default) === "object") {
    const base = valueType(combined.default) === "object" ? (combined.default as Record<string, string>) : {};
    combined.default = { ...base, ...(p.default as Record<string, string>) };
    if (p.properties === undefined) return FieldError.missingField(`${p.name}.properties`);
  }
  if (combined.type === "object") {
    if (p.properties === undefined) return FieldError.missingField(`${p.name}.properties`);
    combined.properties = p.properties;
  }
  specs.set(p.name, combined);
  return FieldError.empty();
}

/** Checks an inline taskSpec against the TaskRun's params; paths relative to `spec`. */
export function validateInlineParameters(
  params: readonly Param[],
  ts: TaskSpec | undefined,
  features: FeatureFlags,
): FieldError {
  if (ts === undefined) return FieldError.empty();
  const specs = new Map<string, ParamSpec>();
  for (const p of params) specs.set(p.name, specFromParam(p));
  let errs = FieldError.empty();
  for (const p of ts.params ?? []) errs = errs.also(combine(p, specs));
  if (ts.steps !== undefined) {
    const all = [...specs.values()];
    errs = errs
      .also(validateParameterTypes(all))
      .also(validateParameterVariables(ts.steps, all, features))
      .also(validateUsageOfDeclaredParameters(ts.steps, all));
  }
  return errs;
}
