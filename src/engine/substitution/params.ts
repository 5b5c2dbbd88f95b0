/**
 * Effective parameter values for a TaskRun and the `$(params…)` replacement maps built from
 * them (docs/tekton-semantics.md#substitution).
 */
import type { Param, ParamSpec, ParamValue } from "../../api/types.js";
import { applyReplacements, emptyReplacements, type MutableReplacements } from "./replace.js";

/** The four spellings of a param reference, without the `$(` `)` wrapper. */
export function paramKeys(name: string): [string, string, string, string] {
  return [`params.${name}`, `params["${name}"]`, `params['${name}']`, `inputs.params.${name}`];
}

/** Copies a param value so callers never share arrays or objects with the input. */
export function cloneParamValue(value: ParamValue): ParamValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return [...value];
  return { ...value };
}

/**
 * Replacement maps for a set of param values, as Tekton builds them: every spelling for
 * strings and arrays (`params.a`, `params["a"]`, `params['a']`, `inputs.params.a`), indexed
 * elements (`params.a[0]`, `params["a"][0]`…), object keys in dot form only (`params.o.k`)
 * and whole objects under every spelling.
 */
export function paramReplacements(values: Iterable<readonly [string, ParamValue]>): MutableReplacements {
  const out = emptyReplacements();
  for (const [name, value] of values) {
    if (typeof value === "string") {
      for (const key of paramKeys(name)) out.strings.set(key, value);
    } else if (Array.isArray(value)) {
      for (const key of paramKeys(name)) {
        value.forEach((item, i) => out.strings.set(`${key}[${i}]`, item));
        out.arrays.set(key, [...value]);
      }
    } else {
      for (const key of paramKeys(name)) out.objects.set(key, { ...value });
      for (const [k, v] of Object.entries(value)) out.strings.set(`params.${name}.${k}`, v);
    }
  }
  return out;
}

/** Replacement maps for a list of params (`Param[]`), later entries winning. */
export function replacementsFromParamList(params: readonly Param[] | undefined): MutableReplacements {
  return paramReplacements((params ?? []).map((p) => [p.name, p.value] as const));
}

/** True when a default is a string that references another param (`$(params.`). */
export function defaultHasParamReference(value: ParamValue | undefined): value is string {
  return typeof value === "string" && value.includes("$(params.");
}

const PARAM_EXPRESSION = /\$\(params(?:\.(.*?(?:\[\*\])?)|\["(.*?(?:\[\*\])?)"\]|\['(.*?(?:\[\*\])?)'\])\)/g;

/**
 * The `$(params…)` expressions in `value` with the name Tekton derives from each: the text
 * after `$(params.` (so only the dot form yields a usable name).
 */
export function paramReferences(value: string): Array<{ expression: string; name: string }> {
  const out: Array<{ expression: string; name: string }> = [];
  for (const m of value.matchAll(PARAM_EXPRESSION)) {
    const expression = m[0];
    const trimmed = expression.slice(0, -1);
    const name = trimmed.startsWith("$(params.") ? trimmed.slice("$(params.".length) : trimmed;
    out.push({ expression, name });
  }
  return out;
}

/**
 * Values of the declared defaults, with defaults that reference other params resolved in a
 * second pass against the defaults already known (declaration order, so chains resolve when
 * declared in dependency order). A default whose references all stay unknown yields no value,
 * so `$(params.<it>)` is left literal, as Tekton does.
 */
export function defaultParamValues(specs: readonly ParamSpec[] | undefined): Map<string, ParamValue> {
  const values = new Map<string, ParamValue>();
  for (const spec of specs ?? []) {
    if (spec.default !== undefined && !defaultHasParamReference(spec.default)) {
      values.set(spec.name, cloneParamValue(spec.default));
    }
  }
  const known = paramReplacements(values).strings;
  for (const spec of specs ?? []) {
    if (!defaultHasParamReference(spec.default)) continue;
    const resolved = new Map<string, string>();
    for (const ref of paramReferences(spec.default)) {
      const value = lookupParamString(known, ref.name);
      if (value !== undefined) resolved.set(ref.expression.slice(2, -1), value);
    }
    if (resolved.size === 0) continue;
    const value = applyReplacements(spec.default, resolved);
    values.set(spec.name, value);
    for (const key of paramKeys(spec.name)) known.set(key, value);
  }
  return values;
}

function lookupParamString(strings: ReadonlyMap<string, string>, name: string): string | undefined {
  for (const key of paramKeys(name)) {
    const v = strings.get(key);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Options for {@link resolveParams}. */
export interface ResolveParamsOptions {
  /** Inline `taskSpec`: TaskRun params that the spec does not declare are still available. */
  propagate: boolean;
}

/**
 * Effective param values for a TaskRun: declared defaults (see {@link defaultParamValues}),
 * overridden by the TaskRun's values; an object value is merged key-wise over its object
 * default. With `propagate`, undeclared TaskRun params are included after the declared ones.
 * Params with neither a value nor a usable default are absent.
 */
export function resolveParams(
  specs: readonly ParamSpec[] | undefined,
  given: readonly Param[] | undefined,
  opts: ResolveParamsOptions,
): Map<string, ParamValue> {
  const defaults = defaultParamValues(specs);
  const provided = new Map<string, ParamValue>();
  for (const p of given ?? []) provided.set(p.name, p.value);
  const declared = new Set((specs ?? []).map((s) => s.name));
  const out = new Map<string, ParamValue>();
  for (const spec of specs ?? []) {
    if (out.has(spec.name)) continue;
    const value = provided.get(spec.name);
    const fallback = defaults.get(spec.name);
    if (value === undefined) {
      if (fallback !== undefined) out.set(spec.name, fallback);
    } else {
      out.set(spec.name, mergeOverDefault(fallback, value));
    }
  }
  if (opts.propagate) {
    for (const [name, value] of provided) {
      if (!declared.has(name)) out.set(name, cloneParamValue(value));
    }
  }
  return out;
}

function mergeOverDefault(fallback: ParamValue | undefined, value: ParamValue): ParamValue {
  if (isObjectValue(fallback) && isObjectValue(value)) return { ...fallback, ...value };
  return cloneParamValue(value);
}

/** True for an object param value. */
export function isObjectValue(value: ParamValue | undefined): value is Record<string, string> {
  return value !== undefined && typeof value === "object" && !Array.isArray(value);
}
