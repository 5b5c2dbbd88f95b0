/**
 * Variable-usage checks over steps (`task_validation.go`): undeclared params, array/object params
 * used where only strings fit, unknown object keys, unknown `$(context...)` keys and undeclared
 * `$(results.x.path)` in scripts. Paths start at `steps[i]` (the caller adds `spec`/`taskSpec`).
 */
import type { FeatureFlags } from "../../config/features.js";
import type { ParamSpec, Step, TaskResult } from "../types.js";
import { FieldError } from "./field-error.js";
import {
  sortByType,
  validateNameFormat,
  validateNoDuplicateParamSpecs,
  validateObjectParamsHaveProperties,
  validateParamEnums,
} from "./params.js";
import {
  noEntireProhibitedVariables,
  noProhibitedVariables,
  noUnknownVariables,
  referenceIsIsolated,
} from "./refs.js";

type Check = (value: string, prefix: string, vars: ReadonlySet<string>) => FieldError;

/** The step string fields Tekton scans, each with its path; `command`/`args` use `listCheck`. */
function scanStep(
  step: Step,
  prefix: string,
  vars: ReadonlySet<string>,
  check: Check,
  listCheck: Check,
  mountField: (f: string) => string,
): FieldError {
  let errs = check(step.name ?? "", prefix, vars).viaField("name");
  errs = errs.also(check(step.image ?? "", prefix, vars).viaField("image"));
  errs = errs.also(check(step.workingDir ?? "", prefix, vars).viaField("workingDir"));
  errs = errs.also(check(step.script ?? "", prefix, vars).viaField("script"));
  for (const [i, c] of (step.command ?? []).entries())
    errs = errs.also(listCheck(c, prefix, vars).viaFieldIndex("command", i));
  for (const [i, a] of (step.args ?? []).entries())
    errs = errs.also(listCheck(a, prefix, vars).viaFieldIndex("args", i));
  for (const env of step.env ?? [])
    errs = errs.also(check(env.value ?? "", prefix, vars).viaFieldKey("env", env.name));
  for (const [i, v] of (step.volumeMounts ?? []).entries()) {
    errs = errs.also(
      check(v.name ?? "", prefix, vars)
        .viaField("name")
        .viaFieldIndex("volumeMount", i),
    );
    errs = errs.also(
      check(v.mountPath ?? "", prefix, vars)
        .viaField(mountField("mountPath"))
        .viaFieldIndex("volumeMount", i),
    );
    errs = errs.also(
      check(v.subPath ?? "", prefix, vars)
        .viaField(mountField("subPath"))
        .viaFieldIndex("volumeMount", i),
    );
  }
  return errs;
}

const asIs = (f: string): string => f;
const capitalized = (f: string): string => f.charAt(0).toUpperCase() + f.slice(1);

/** `validateStepVariables` over all steps: references under `prefix` must name one of `vars`. */
export function validateVariables(
  steps: readonly Step[],
  prefix: string,
  vars: ReadonlySet<string>,
): FieldError {
  let errs = FieldError.empty();
  for (const [idx, step] of steps.entries()) {
    const stepErrs = scanStep(step, prefix, vars, noUnknownVariables, noUnknownVariables, capitalized).also(
      noUnknownVariables(step.onError ?? "", prefix, vars).viaField("onError"),
    );
    errs = errs.also(stepErrs.viaFieldIndex("steps", idx));
  }
  return errs;
}

/**
 * Tekton's `validateArrayUsage`. It prefixes the *accumulated* errors with `steps[idx]` on each
 * iteration, so an error in step 0 of a two-step Task renders as `steps[1].steps[0]...`;
 * reproduced as is.
 */
export function validateArrayUsage(
  steps: readonly Step[],
  prefix: string,
  arrayNames: ReadonlySet<string>,
): FieldError {
  let errs = FieldError.empty();
  for (const [idx, step] of steps.entries()) {
    errs = errs
      .also(scanStep(step, prefix, arrayNames, noProhibitedVariables, referenceIsIsolated, asIs))
      .viaFieldIndex("steps", idx);
  }
  return errs;
}

/** Tekton's `validateObjectUsageAsWhole`, with the same accumulated-prefix behaviour. */
function validateObjectUsageAsWhole(
  steps: readonly Step[],
  prefix: string,
  objectNames: ReadonlySet<string>,
): FieldError {
  let errs = FieldError.empty();
  for (const [idx, step] of steps.entries()) {
    errs = errs
      .also(
        scanStep(step, prefix, objectNames, noEntireProhibitedVariables, noEntireProhibitedVariables, asIs),
      )
      .viaFieldIndex("steps", idx);
  }
  return errs;
}

/** Unknown object keys and whole-object references. */
export function validateObjectUsage(steps: readonly Step[], objectParams: readonly ParamSpec[]): FieldError {
  let errs = FieldError.empty();
  for (const p of objectParams) {
    const keys = new Set(Object.keys(p.properties ?? {}));
    errs = errs.also(validateVariables(steps, "params\\." + p.name, keys));
  }
  return errs.also(validateObjectUsageAsWhole(steps, "params", new Set(objectParams.map((p) => p.name))));
}

/** `ValidateUsageOfDeclaredParameters`: every `$(params.x)` must be declared. */
export function validateUsageOfDeclaredParameters(
  steps: readonly Step[],
  params: readonly ParamSpec[],
): FieldError {
  const all = new Set(params.map((p) => p.name));
  return validateVariables(steps, "params", all)
    .also(validateObjectUsage(steps, sortByType(params).object))
    .also(validateObjectParamsHaveProperties(params));
}

/** `ValidateParameterVariables`: duplicates, enums, name formats and array usage. */
export function validateParameterVariables(
  steps: readonly Step[],
  params: readonly ParamSpec[],
  features: FeatureFlags,
): FieldError {
  const byType = sortByType(params);
  const arrayNames = new Set(byType.array.map((p) => p.name));
  const stringAndArray = new Set([...byType.string.map((p) => p.name), ...arrayNames]);
  return validateNoDuplicateParamSpecs(params)
    .also(validateParamEnums(params, features).viaField("params"))
    .also(validateNameFormat(stringAndArray, byType.object))
    .also(validateArrayUsage(steps, "params", arrayNames));
}

/** Unknown `$(context.taskRun.X)` / `$(context.task.X)` keys. */
export function validateTaskContextVariables(steps: readonly Step[]): FieldError {
  return validateVariables(steps, "context\\.taskRun", new Set(["name", "namespace", "uid"])).also(
    validateVariables(steps, "context\\.task", new Set(["name", "retry-count"])),
  );
}

/** Undeclared `$(results.x.path)` in step scripts (only scripts are checked). */
export function validateTaskResultsVariables(
  steps: readonly Step[],
  results: readonly TaskResult[],
): FieldError {
  const names = new Set(results.map((r) => r.name));
  let errs = FieldError.empty();
  for (const [idx, step] of steps.entries()) {
    errs = errs.also(
      noUnknownVariables(step.script ?? "", "results", names)
        .viaField("script")
        .viaFieldIndex("steps", idx),
    );
  }
  return errs;
}
