/**
 * Params and variables in a pipeline (`pipeline_validation.go`, `param_types.go`,
 * `matrix_types.go`, `when_validation.go`): declared param types, duplicates and enums; pipeline
 * tasks' params, matrix params and `when` expressions may only reference declared params, with
 * array/object params used where they fit; `$(context.pipelineRun|pipeline|pipelineTask.*)` keys;
 * `$(tasks.<t>.status)` only in finally tasks; and `$(…)` prefixes Tekton knows.
 */
import type { FeatureFlags } from "../../config/features.js";
import type { PipelineTask } from "../pipeline-types.js";
import {
  allParamsOf,
  containsResultRefs,
  paramExpressions,
  paramValueStrings,
  whenExpressionExpressions,
} from "../result-refs.js";
import type { Param, ParamSpec } from "../types.js";
import { FieldError, goQuote } from "./field-error.js";
import { sortByType, validateParamEnums, validateParameterTypes } from "./params.js";
import {
  noEntireProhibitedVariables,
  noProhibitedVariables,
  noUnknownVariables,
  referenceIsIsolated,
} from "./refs.js";

/** `Params.validateDuplicateParameters`: paths `[j].name` (caller adds `params`). */
export function validateDuplicateParameters(params: readonly Param[]): FieldError {
  const seen = new Set<string>();
  let errs = FieldError.empty();
  for (const [i, p] of params.entries()) {
    if (seen.has(p.name)) {
      errs = errs.also(
        FieldError.generic(
          `parameter names must be unique, the parameter "${p.name}" is also defined at`,
          `[${i}].name`,
        ),
      );
    }
    seen.add(p.name);
  }
  return errs;
}

function duplicateParamSpecs(params: readonly ParamSpec[]): FieldError {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) dups.add(p.name);
    seen.add(p.name);
  }
  let errs = FieldError.empty();
  for (const d of dups)
    errs = errs.also(FieldError.generic("parameter appears more than once", "").viaFieldKey("params", d));
  return errs;
}

/**
 * `ValidatePipelineParameterVariables`: the declared params' types, duplicates and enums, and
 * duplicate params per task (paths `params…`, `[i].params[j].name`; caller adds `tasks`/`finally`).
 */
export function validatePipelineParameterVariables(
  tasks: readonly PipelineTask[],
  params: readonly ParamSpec[],
  features: FeatureFlags,
): FieldError {
  let errs = validateParameterTypes(params)
    .viaField("params")
    .also(duplicateParamSpecs(params))
    .also(validateParamEnums(params, features).viaField("params"));
  for (const [i, t] of tasks.entries())
    errs = errs.also(
      validateDuplicateParameters(t.params ?? [])
        .viaField("params")
        .viaIndex(i),
    );
  return errs;
}

/** The declared params as the usage checks see them. */
interface DeclaredParams {
  all: ReadonlySet<string>;
  arrays: ReadonlySet<string>;
  objectKeys: ReadonlyMap<string, readonly string[]>;
}

function declared(params: readonly ParamSpec[]): DeclaredParams {
  const byType = sortByType(params);
  return {
    all: new Set(params.map((p) => p.name)),
    arrays: new Set(byType.array.map((p) => p.name)),
    objectKeys: new Map(byType.object.map((p) => [p.name, Object.keys(p.properties ?? {})])),
  };
}

const PREFIX = "params";

function objectVariable(value: string, d: DeclaredParams): FieldError {
  let errs = FieldError.empty();
  for (const [name, keys] of d.objectKeys)
    errs = errs.also(noUnknownVariables(value, `${PREFIX}\\.${name}`, new Set(keys)));
  return errs.also(noEntireProhibitedVariables(value, PREFIX, new Set(d.objectKeys.keys())));
}

function stringVariable(value: string, d: DeclaredParams): FieldError {
  return noUnknownVariables(value, PREFIX, d.all)
    .also(objectVariable(value, d))
    .also(noProhibitedVariables(value, PREFIX, d.arrays));
}

function arrayVariable(value: string, d: DeclaredParams): FieldError {
  return noUnknownVariables(value, PREFIX, d.all)
    .also(objectVariable(value, d))
    .also(referenceIsIsolated(value, PREFIX, d.arrays));
}

const ISOLATED_WHOLE =
  /^\$\(params(\.[_a-zA-Z0-9.-]+\[\*\]|\["[_a-zA-Z0-9.-]+\[\*\]"\]|\['[_a-zA-Z0-9.-]+\[\*\]'\])\)$/;

/** `validateParamStringValue`: a whole `$(params.x[*])` only needs `x` declared. */
function paramStringValue(p: Param, value: string, d: DeclaredParams): FieldError {
  if (ISOLATED_WHOLE.test(value)) return noUnknownVariables(value, PREFIX, d.all).viaFieldKey(PREFIX, p.name);
  return stringVariable(value, d).viaFieldKey("params", p.name);
}

/** `validatePipelineParametersVariablesInTaskParameters`; paths `params[…]` relative to the task. */
function taskParameters(params: readonly Param[], d: DeclaredParams): FieldError {
  let errs = validateDuplicateParameters(params).viaField("params");
  for (const p of params) {
    const v = p.value;
    if (Array.isArray(v)) {
      for (const [i, el] of v.entries())
        errs = errs.also(arrayVariable(el, d).viaFieldIndex("value", i).viaFieldKey("params", p.name));
    } else if (v !== null && typeof v === "object") {
      for (const [k, el] of Object.entries(v))
        errs = errs.also(stringVariable(el, d).viaFieldKey("properties", k).viaFieldKey("params", p.name));
    } else {
      errs = errs.also(paramStringValue(p, typeof v === "string" ? v : "", d));
    }
  }
  return errs;
}

/** `validatePipelineParametersVariablesInMatrixParameters`. */
function matrixParameters(pt: PipelineTask, d: DeclaredParams): FieldError {
  let errs = FieldError.empty();
  for (const inc of pt.matrix?.include ?? []) {
    for (const [i, p] of (inc.params ?? []).entries()) {
      const s = typeof p.value === "string" ? p.value : "";
      errs = errs.also(stringVariable(s, d).viaFieldIndex("", i).viaField("matrix.include.params", ""));
    }
  }
  for (const p of pt.matrix?.params ?? []) {
    const items = Array.isArray(p.value) ? p.value : [];
    for (const [i, el] of items.entries())
      errs = errs.also(arrayVariable(el, d).viaFieldIndex("value", i).viaFieldKey("matrix.params", p.name));
  }
  return errs;
}

/** `ArrayReference`: `$(params.x[*])` → `x`. */
function arrayReference(s: string): string {
  let out = s.startsWith("$(params.") ? s.slice("$(params.".length) : s;
  if (out.endsWith("[*])")) out = out.slice(0, -4);
  return out;
}

/** `WhenExpressions.validatePipelineParametersVariables`. */
function whenParameters(pt: PipelineTask, d: DeclaredParams): FieldError {
  let errs = FieldError.empty();
  for (const [i, we] of (pt.when ?? []).entries()) {
    errs = errs.also(
      stringVariable(we.input ?? "", d)
        .viaField("input")
        .viaFieldIndex("when", i),
    );
    for (const v of we.values ?? []) {
      const check = d.arrays.has(arrayReference(v)) ? arrayVariable : stringVariable;
      errs = errs.also(check(v, d).viaField("values").viaFieldIndex("when", i));
    }
  }
  return errs;
}

/**
 * `validatePipelineTaskParameterUsage`: every param a task uses (params, matrix, when) is
 * declared and fits its type; paths `[i]…` (caller adds `tasks`/`finally`).
 */
export function validatePipelineTaskParameterUsage(
  tasks: readonly PipelineTask[],
  params: readonly ParamSpec[],
): FieldError {
  const d = declared(params);
  let errs = FieldError.empty();
  for (const [i, t] of tasks.entries()) {
    errs = errs.also(taskParameters(t.params ?? [], d).viaIndex(i));
    if ((t.matrix?.params ?? []).length > 0 || (t.matrix?.include ?? []).length > 0)
      errs = errs.also(matrixParameters(t, d).viaIndex(i));
    errs = errs.also(whenParameters(t, d).viaIndex(i));
  }
  for (const [i, t] of tasks.entries())
    errs = errs.also(
      validateDuplicateParameters(t.params ?? [])
        .viaField("params")
        .viaIndex(i),
    );
  return errs;
}

/**
 * `validatePipelineContextVariables`. Tekton only looks at the params of the last task in the
 * list (it overwrites the collected values on each iteration); reproduced.
 */
export function validatePipelineContextVariables(tasks: readonly PipelineTask[]): FieldError {
  const last = tasks[tasks.length - 1];
  const values = last === undefined ? [] : allParamsOf(last).flatMap((p) => allStrings(p));
  let errs = FieldError.empty();
  for (const [prefix, names] of [
    ["context\\.pipelineRun", ["name", "namespace", "uid"]],
    ["context\\.pipeline", ["name"]],
    ["context\\.pipelineTask", ["retries"]],
  ] as const) {
    for (const v of values) errs = errs.also(noUnknownVariables(v, prefix, new Set(names)).viaField("value"));
  }
  return errs;
}

/** `Params.extractValues` for one param: the string value (also ""), array items, object values. */
function allStrings(p: Param): string[] {
  const v = p.value;
  if (typeof v === "string") return [v];
  return ["", ...paramValueStrings(v)];
}

function isExecutionStatusRef(e: string): boolean {
  return e.startsWith("tasks.") && (e.endsWith(".status") || e.endsWith(".reason"));
}

function statusDisallowed(expressions: readonly string[], path: string): FieldError {
  if (containsResultRefs(expressions) || !expressions.some(isExecutionStatusRef)) return FieldError.empty();
  return FieldError.invalidValue(
    "pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks",
    path,
  );
}

function statusAllowed(
  expressions: readonly string[],
  taskNames: ReadonlySet<string>,
  path: string,
): FieldError {
  if (containsResultRefs(expressions)) return FieldError.empty();
  let errs = FieldError.empty();
  for (const e of expressions) {
    if (e === "tasks.status" || !isExecutionStatusRef(e)) continue;
    const suffix = e.endsWith(".status") ? ".status" : ".reason";
    const pt = e.slice("tasks.".length, e.length - suffix.length);
    if (!taskNames.has(pt))
      errs = errs.also(FieldError.invalidValue(`pipeline task ${pt} is not defined in the pipeline`, path));
  }
  return errs;
}

/**
 * `validateExecutionStatusVariables`: `$(tasks.<t>.status|reason)` and `$(tasks.status)` only in
 * finally tasks, naming a task of the pipeline. Paths include `tasks[i]`/`finally[i]`.
 */
export function validateExecutionStatusVariables(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
): FieldError {
  let errs = FieldError.empty();
  for (const [i, t] of tasks.entries()) {
    let e = FieldError.empty();
    for (const p of t.params ?? [])
      e = e.also(statusDisallowed(paramExpressions(p), "value").viaFieldKey("params", p.name));
    for (const [j, w] of (t.when ?? []).entries())
      e = e.also(statusDisallowed(whenExpressionExpressions(w), "").viaFieldIndex("when", j));
    errs = errs.also(e.viaIndex(i).viaField("tasks"));
  }
  const names = new Set(tasks.map((t) => t.name));
  for (const [i, t] of finallyTasks.entries()) {
    let e = FieldError.empty();
    for (const p of t.params ?? [])
      e = e.also(statusAllowed(paramExpressions(p), names, "value").viaFieldKey("params", p.name));
    for (const [j, w] of (t.when ?? []).entries())
      e = e.also(statusAllowed(whenExpressionExpressions(w), names, "").viaFieldIndex("when", j));
    errs = errs.also(e.viaIndex(i).viaField("finally"));
  }
  return errs;
}

const VALID_PREFIXES = new Set(["params", "tasks", "finally", "context", "workspaces", "results"]);

function badPrefixes(expressions: readonly string[], path: string): FieldError {
  let errs = FieldError.empty();
  for (const e of expressions) {
    if (VALID_PREFIXES.has(e.split(".")[0] ?? "")) continue;
    errs = errs.also(
      FieldError.invalidValue(
        `invalid variable reference ${goQuote(`$(${e})`)}, must start with a valid prefix: params, tasks, finally, context, workspaces, or results; if you meant a shell variable, use \${VAR} instead`,
        path,
      ),
    );
  }
  return errs;
}

/** `validateVarSubstitutionExpressions`; paths include `<section>[i]`. */
export function validateVarSubstitutionExpressions(
  tasks: readonly PipelineTask[],
  section: string,
): FieldError {
  let errs = FieldError.empty();
  for (const [i, t] of tasks.entries()) {
    for (const p of t.params ?? [])
      errs = errs.also(
        badPrefixes(paramExpressions(p), "value").viaFieldKey("params", p.name).viaFieldIndex(section, i),
      );
    for (const [j, w] of (t.when ?? []).entries())
      errs = errs.also(
        badPrefixes(whenExpressionExpressions(w), "").viaFieldIndex("when", j).viaFieldIndex(section, i),
      );
    if ((t.matrix?.params ?? []).length === 0 && (t.matrix?.include ?? []).length === 0) continue;
    for (const p of t.matrix?.params ?? [])
      errs = errs.also(
        badPrefixes(paramExpressions(p), "value")
          .viaFieldKey("matrix.params", p.name)
          .viaFieldIndex(section, i),
      );
    for (const [j, inc] of (t.matrix?.include ?? []).entries())
      for (const p of inc.params ?? [])
        errs = errs.also(
          badPrefixes(paramExpressions(p), "value")
            .viaFieldKey("params", p.name)
            .viaFieldIndex("matrix.include", j)
            .viaFieldIndex(section, i),
        );
  }
  return errs;
}
