/**
 * Inlining of steps that reference a StepAction (`ref`), with the StepAction's params bound
 * from the step's `params` (Tekton's `resolveStepRef` and `applyStepActionParameters`;
 * docs/stepactions.md "Parameter Substitution Precedence").
 */
import type { Param, ParamSpec, ParamType, ParamValue, Step, StepAction, TaskSpec } from "../../api/types.js";
import { replaceParams, replaceStepFields } from "./fields.js";
import {
  defaultHasParamReference,
  cloneParamValue,
  paramKeys,
  paramReferences,
  paramReplacements,
  replacementsFromParamList,
} from "./params.js";
import {
  emptyReplacements,
  extendReplacements,
  type MutableReplacements,
  type Replacements,
} from "./replace.js";
import { parseStepResultExpression } from "./stepresults.js";

/** A step's StepAction could not be resolved or bound; the TaskRun fails with `TaskRunResolutionFailed`. */
export class StepActionResolutionError extends Error {
  override readonly name = "StepActionResolutionError";
  /** The step's name as written ("" when unnamed). */
  readonly stepName: string;
  readonly index: number;
  /** The cause without the `failed to resolve step ref…` prefix. */
  readonly detail: string;

  constructor(stepName: string, index: number, detail: string) {
    super(`failed to resolve step ref for step "${stepName}" (index ${index}): ${detail}`);
    this.stepName = stepName;
    this.index = index;
    this.detail = detail;
  }
}

/** A StepAction param's type after Tekton's defaulting (explicit, properties, default's shape, string). */
export function defaultedParamType(spec: ParamSpec): ParamType {
  if (spec.type !== undefined) return spec.type;
  if (spec.properties !== undefined) return "object";
  if (spec.default === undefined || typeof spec.default === "string") return "string";
  return Array.isArray(spec.default) ? "array" : "object";
}

function checkStepParams(stepParams: readonly Param[] | undefined, specs: readonly ParamSpec[]): void {
  const declared = new Set(specs.map((s) => s.name));
  const provided = new Set((stepParams ?? []).map((p) => p.name));
  const extra = (stepParams ?? []).map((p) => p.name).filter((n) => !declared.has(n));
  if (extra.length > 0) throw new Error(`extra params passed by Step to StepAction: [${extra.join(" ")}]`);
  const missing = specs.filter((s) => s.default === undefined && !provided.has(s.name)).map((s) => s.name);
  if (missing.length > 0) throw new Error(`non-existent params in Step: [${missing.join(" ")}]`);
}

function stringVal(value: ParamValue): string {
  return typeof value === "string" ? value : "";
}

/** Step-provided values, then defaults resolved iteratively (references first), in Tekton's order. */
function processParams(stepParams: readonly Param[] | undefined, specs: readonly ParamSpec[]): Param[] {
  const provided = new Map<string, ParamValue>();
  for (const p of stepParams ?? []) provided.set(p.name, p.value);
  const processed: Param[] = [];
  const pending = new Map<string, string[]>();
  for (const spec of specs) {
    const value = provided.get(spec.name);
    if (value !== undefined) {
      processed.push({ name: spec.name, value });
    } else if (defaultHasParamReference(spec.default)) {
      pending.set(
        spec.name,
        paramReferences(spec.default).map((r) => r.name),
      );
    } else if (spec.default !== undefined) {
      processed.push({ name: spec.name, value: cloneParamValue(spec.default) });
    }
  }
  const find = (name: string): Param | undefined => processed.find((p) => p.name === name);
  while (pending.size > 0) {
    let progressed = false;
    const blocked: Array<[string, string]> = [];
    for (const [name, refs] of pending) {
      const missing = refs.find((ref) => find(ref) === undefined);
      if (missing !== undefined) {
        blocked.push([name, missing]);
        continue;
      }
      let value = stringVal(specs.find((s) => s.name === name)?.default ?? "");
      for (const ref of refs) value = value.split(`$(params.${ref})`).join(stringVal(find(ref)?.value ?? ""));
      processed.push({ name, value });
      pending.delete(name);
      progressed = true;
    }
    if (!progressed) {
      for (const [name, ref] of blocked) {
        if (!specs.some((s) => s.name === ref)) {
          throw new Error(`parameter "${name}" references non-existent parameter "${ref}"`);
        }
      }
      throw new Error("circular dependency detected in parameter references");
    }
  }
  return processed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `$(params.p[N])` (and bracket forms) used in command, args or env → the indexed step-result ref. */
function indexedResultRefs(
  step: Step,
  param: string,
  stepName: string,
  result: string,
  into: Map<string, string>,
): void {
  const name = escapeRegExp(param);
  const patterns = [`params\\.${name}`, `params\\["${name}"\\]`, `params\\['${name}'\\]`].map(
    (p) => new RegExp(`\\$\\(${p}\\[([0-9]*)\\*?\\]\\)`, "g"),
  );
  const texts = [
    ...(step.command ?? []),
    ...(step.args ?? []),
    ...(step.env ?? []).map((e) => e.value ?? ""),
  ];
  for (const text of texts) {
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        if (m[1] !== undefined && m[1] !== "") {
          into.set(m[0].slice(2, -1), `$(steps.${stepName}.results.${result}[${m[1]}])`);
        }
      }
    }
  }
}

/** Step 5: params whose value is a step-result reference become that reference (runtime form). */
function stepResultReplacements(
  step: Step,
  stepParams: readonly Param[] | undefined,
  specs: readonly ParamSpec[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const sp of stepParams ?? []) {
    if (typeof sp.value !== "string" || !sp.value.startsWith("$(steps.")) continue;
    let expression = sp.value.startsWith("$(") ? sp.value.slice(2) : sp.value;
    if (expression.endsWith(")")) expression = expression.slice(0, -1);
    const ref = parseStepResultExpression(expression);
    if (ref instanceof Error) throw ref;
    for (const spec of specs.filter((s) => s.name === sp.name)) {
      const type = defaultedParamType(spec);
      if (type === "object") {
        for (const key of Object.keys(spec.properties ?? {})) {
          out.set(`params.${spec.name}.${key}`, `$(steps.${ref.step}.results.${ref.result}.${key})`);
        }
      } else if (type === "array") {
        for (const key of paramKeys(spec.name))
          out.set(`${key}[*]`, `$(steps.${ref.step}.results.${ref.result}[*])`);
        indexedResultRefs(step, spec.name, ref.step, ref.result, out);
      } else {
        for (const key of paramKeys(spec.name)) out.set(key, sp.value);
      }
    }
  }
  return out;
}

const PARAM_NAME_FROM_KEY = [
  /^params\.(\w+)$/,
  /^params\["([^"]+)"\]$/,
  /^params\['([^']+)'\]$/,
  /^inputs\.params\.(\w+)$/,
];

function checkTypeConflicts(r: Replacements): void {
  const keys = [...r.strings.keys()].sort();
  for (const key of keys) {
    if (!r.arrays.has(key)) continue;
    let name = key;
    for (const re of PARAM_NAME_FROM_KEY) {
      const m = re.exec(key);
      if (m?.[1] !== undefined) {
        name = m[1];
        break;
      }
    }
    throw new Error(
      `invalid parameter substitution: ${name}. Please check the types of the default value and the passed value`,
    );
  }
}

/** Binds a StepAction's params into the step built from it (mutates `saStep`, a fresh copy). */
function applyStepActionParams(
  saStep: Step,
  given: readonly Param[] | undefined,
  specs: readonly ParamSpec[],
  taskParams: Replacements | undefined,
): void {
  const stepParams =
    given !== undefined && taskParams !== undefined ? replaceParams(given, taskParams) : given;
  const defaultsOnly = specs.filter((s) => s.default !== undefined && !defaultHasParamReference(s.default));
  const all: MutableReplacements = paramReplacements(
    defaultsOnly.map((s) => [s.name, cloneParamValue(s.default ?? "")] as const),
  );
  resolveReferencingDefaults(specs, all);
  extendReplacements(all, replacementsFromParamList(processParams(stepParams, specs)));
  for (const [k, v] of stepResultReplacements(saStep, stepParams, specs)) all.strings.set(k, v);
  checkTypeConflicts(all);
  replaceStepFields(saStep, all);
}

/** Tekton's second pass over defaults that reference other defaults (string keys only). */
function resolveReferencingDefaults(specs: readonly ParamSpec[], into: MutableReplacements): void {
  for (const spec of specs) {
    if (!defaultHasParamReference(spec.default)) continue;
    let value = spec.default;
    let resolved = false;
    for (const ref of paramReferences(spec.default)) {
      const known = paramKeys(ref.name)
        .map((k) => into.strings.get(k))
        .find((v) => v !== undefined);
      if (known === undefined) continue;
      value = value.split(ref.expression).join(known);
      resolved = true;
    }
    if (resolved) for (const key of paramKeys(spec.name)) into.strings.set(key, value);
  }
}

/** Builds the inlined step from a StepAction (Tekton's `resolveStepRef`). */
function inlineStep(step: Step, action: StepAction, taskParams: Replacements | undefined): Step {
  const sa = structuredClone(action.spec);
  const specs = sa.params ?? [];
  checkStepParams(step.params, specs);
  const saStep: Step = {};
  if (sa.image !== undefined) saStep.image = sa.image;
  if (sa.command !== undefined) saStep.command = sa.command;
  if (sa.args !== undefined) saStep.args = sa.args;
  if (sa.workingDir !== undefined) saStep.workingDir = sa.workingDir;
  if (sa.script !== undefined) saStep.script = sa.script;
  if (sa.env !== undefined) saStep.env = sa.env;
  if (sa.volumeMounts !== undefined) saStep.volumeMounts = sa.volumeMounts;
  if (sa.securityContext !== undefined) saStep.securityContext = sa.securityContext;
  if (sa.results !== undefined) saStep.results = sa.results;
  applyStepActionParams(saStep, step.params, specs, taskParams);

  const out: Step = structuredClone(step);
  delete out.ref;
  delete out.params;
  assignOrDelete(out, "image", saStep.image);
  assignOrDelete(out, "securityContext", saStep.securityContext);
  if ((saStep.command?.length ?? 0) > 0) out.command = saStep.command;
  if ((saStep.args?.length ?? 0) > 0) out.args = saStep.args;
  if (saStep.script !== undefined && saStep.script !== "") out.script = saStep.script;
  assignOrDelete(out, "workingDir", saStep.workingDir);
  if (saStep.env !== undefined) out.env = saStep.env;
  if ((saStep.volumeMounts?.length ?? 0) > 0) out.volumeMounts = saStep.volumeMounts;
  if ((saStep.results?.length ?? 0) > 0) out.results = saStep.results;
  return out;
}

function assignOrDelete<K extends "image" | "securityContext" | "workingDir">(
  step: Step,
  key: K,
  value: Step[K],
): void {
  if (value === undefined || value === "") delete step[key];
  else step[key] = value;
}

/**
 * Replaces each step that has a `ref` by the StepAction it names: image, securityContext and
 * workingDir always come from the StepAction; command, args, script, env, volumeMounts and
 * results when it sets them. The step's `params` are bound to the StepAction's params
 * (TaskRun params first substituted into them when `taskParams` is given, as Tekton does),
 * and `ref` and `params` are cleared. The stepTemplate is not merged here.
 *
 * @throws StepActionResolutionError for a missing StepAction or a binding error.
 */
export function inlineStepActions(
  spec: TaskSpec,
  lookup: (name: string, index: number) => StepAction | undefined,
  taskParams?: ReadonlyMap<string, ParamValue>,
): TaskSpec {
  if (!(spec.steps ?? []).some((s) => s.ref !== undefined)) return spec;
  const replacements =
    taskParams === undefined
      ? undefined
      : extendReplacements(emptyReplacements(), paramReplacements(taskParams));
  const steps = (spec.steps ?? []).map((step, index) => {
    if (step.ref === undefined) return step;
    const refName = step.ref.name ?? "";
    const action = lookup(refName, index);
    if (action === undefined) {
      throw new StepActionResolutionError(
        step.name ?? "",
        index,
        `stepactions.tekton.dev "${refName}" not found`,
      );
    }
    try {
      return inlineStep(step, action, replacements);
    } catch (err) {
      if (err instanceof StepActionResolutionError) throw err;
      throw new StepActionResolutionError(
        step.name ?? "",
        index,
        err instanceof Error ? err.message : String(err),
      );
    }
  });
  return { ...spec, steps };
}
