/** TaskResult and StepResult checks (`result_validation.go`). Paths are relative to the result list. */
import type { StepResult, TaskResult } from "../types.js";
import { FieldError, goList, goQuote } from "./field-error.js";
import { isDNS1123Label } from "./k8s-names.js";
import { valueType } from "./params.js";
import { noUnknownVariables } from "./refs.js";

const RESULT_NAME_FORMAT = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
const RESULT_NAME_RE = new RegExp(RESULT_NAME_FORMAT);
const NAME_DETAILS = `Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${RESULT_NAME_FORMAT}')`;
const STEP_RESULT_VALUE_RE = /\$\(steps\.(.*?)\.results\.(.*?)\)/;

function invalidKeys(properties: TaskResult["properties"]): string[] {
  return Object.entries(properties ?? {})
    .filter(([, spec]) => spec?.type !== "string")
    .map(([k]) => k);
}

/** `TaskResult.Validate`; paths like `name`, `type`, `<name>.properties`. */
export function validateTaskResult(tr: TaskResult): FieldError {
  if (!RESULT_NAME_RE.test(tr.name)) return FieldError.invalidKeyName(tr.name, "name", NAME_DETAILS);
  let errs = FieldError.empty();
  const type = tr.type ?? "";
  if (type === "object") {
    if (tr.properties === undefined) {
      errs = errs.also(FieldError.missingField(`${tr.name}.properties`));
    } else {
      const bad = invalidKeys(tr.properties);
      if (bad.length > 0) {
        errs = errs.also(
          FieldError.of(
            `The value type specified for these keys ${goList(bad)} is invalid, the type must be string`,
            [`${tr.name}.properties`],
          ),
        );
      }
    }
  } else if (type !== "array" && type !== "" && type !== "string") {
    errs = errs.also(FieldError.invalidValue(type, "type", "type must be string"));
  }
  return errs.also(validateResultValue(tr));
}

function validateResultValue(tr: TaskResult): FieldError {
  if (tr.value === undefined) return FieldError.empty();
  const vt = valueType(tr.value);
  if (vt !== "string") {
    return FieldError.of(`Invalid Type. Wanted string but got: "${vt}"`, [`${tr.name}.type`]);
  }
  const value = String(tr.value);
  if (value === "") return FieldError.empty();
  const m = STEP_RESULT_VALUE_RE.exec(value);
  if (m === null) {
    return FieldError.of(
      `Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "${value}"`,
      [`${tr.name}.value`],
    );
  }
  const stepName = m[1] ?? "";
  const resultName = m[2] ?? "";
  let errs = FieldError.empty();
  if (isDNS1123Label(stepName).length > 0) {
    errs = errs.also(
      FieldError.of(
        `invalid extracted step name ${goQuote(stepName)}`,
        [`${tr.name}.value`],
        "stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
      ),
    );
  }
  if (!RESULT_NAME_RE.test(resultName)) {
    errs = errs.also(
      FieldError.of(
        `invalid extracted result name ${goQuote(resultName)}`,
        [`${tr.name}.value`],
        `resultName in $(steps.<stepName>.results.<resultName>) must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${RESULT_NAME_FORMAT}')`,
      ),
    );
  }
  return errs;
}

/** `StepResult.Validate`. */
export function validateStepResult(sr: StepResult): FieldError {
  if (!RESULT_NAME_RE.test(sr.name)) return FieldError.invalidKeyName(sr.name, "name", NAME_DETAILS);
  const type = sr.type ?? "";
  if (type === "object") {
    if (sr.properties === undefined) return FieldError.missingField(`${sr.name}.properties`);
    const bad = invalidKeys(sr.properties);
    if (bad.length > 0) {
      return FieldError.of(
        `the value type specified for these keys ${goList(bad)} is invalid, the type must be string`,
        [`${sr.name}.properties`],
      );
    }
    return FieldError.empty();
  }
  if (type === "array" || type === "" || type === "string") return FieldError.empty();
  return FieldError.invalidValue(type, "type", `invalid type ${type}`);
}

/** Task results, each under `[i]`. */
export function validateTaskResults(results: readonly TaskResult[]): FieldError {
  let errs = FieldError.empty();
  for (const [i, r] of results.entries()) errs = errs.also(validateTaskResult(r).viaIndex(i));
  return errs;
}

/** Step results, each under `[i]`. */
export function validateStepResults(results: readonly StepResult[]): FieldError {
  let errs = FieldError.empty();
  for (const [i, r] of results.entries()) errs = errs.also(validateStepResult(r).viaIndex(i));
  return errs;
}

/** Undeclared `$(step.results.x.path)` in a step script; path `script`. */
export function validateStepResultsVariables(results: readonly StepResult[], script: string): FieldError {
  const names = new Set(results.map((r) => r.name));
  return noUnknownVariables(script, "step.results", names).viaField("script");
}

/** StepAction: undeclared `$(step.results.x.path)` or `$(results.x.path)` in the script. */
export function validateStepActionResultsVariables(
  results: readonly StepResult[],
  script: string,
): FieldError {
  const names = new Set(results.map((r) => r.name));
  return noUnknownVariables(script, "step.results", names)
    .viaField("script")
    .also(noUnknownVariables(script, "results", names).viaField("script"));
}
