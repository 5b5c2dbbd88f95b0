/** ParamSpec checks (`param_types.go`, `task_validation.go`): types, duplicates, enums, name formats. */
import type { FeatureFlags } from "../../config/features.js";
import type { ParamSpec, ParamValue } from "../types.js";
import { FieldError, goList } from "./field-error.js";

const STRING_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** The type Tekton's `ParamValue` decoding gives a value: array, object, or else string. */
export function valueType(v: ParamValue | unknown): "string" | "array" | "object" {
  if (Array.isArray(v)) return "array";
  if (v !== null && typeof v === "object") return "object";
  return "string";
}

/** The string form of a value when it decodes as a string (Go `StringVal`), else "". */
export function stringVal(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** Names of params grouped by type (`SortByType`). */
export function sortByType(params: readonly ParamSpec[]): {
  string: ParamSpec[];
  array: ParamSpec[];
  object: ParamSpec[];
} {
  const out = { string: [] as ParamSpec[], array: [] as ParamSpec[], object: [] as ParamSpec[] };
  for (const p of params) {
    if (p.type === "array") out.array.push(p);
    else if (p.type === "object") out.object.push(p);
    else out.string.push(p);
  }
  return out;
}

function findDups(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) dups.add(v);
    seen.add(v);
  }
  return [...dups];
}

/** `ParamSpec.ValidateType` for every param; paths are `<name>.type` etc. (caller adds `params`). */
export function validateParameterTypes(params: readonly ParamSpec[]): FieldError {
  let errs = FieldError.empty();
  for (const p of params) errs = errs.also(validateType(p));
  return errs;
}

function validateType(p: ParamSpec): FieldError {
  const type = p.type ?? "";
  if (type !== "string" && type !== "array" && type !== "object") {
    return FieldError.invalidValue(type, `${p.name}.type`);
  }
  if (p.default !== undefined && valueType(p.default) !== type) {
    return FieldError.of(`"${type}" type does not match default value's type: "${valueType(p.default)}"`, [
      `${p.name}.type`,
      `${p.name}.default.type`,
    ]);
  }
  const invalidKeys = Object.entries(p.properties ?? {})
    .filter(([, spec]) => spec?.type !== "string")
    .map(([k]) => k);
  if (invalidKeys.length > 0) {
    return FieldError.of(`The value type specified for these keys ${goList(invalidKeys)} is invalid`, [
      `${p.name}.properties`,
    ]);
  }
  return FieldError.empty();
}

/** `parameter appears more than once: params[<name>]` (case-sensitive). */
export function validateNoDuplicateParamSpecs(params: readonly ParamSpec[]): FieldError {
  let errs = FieldError.empty();
  for (const dup of findDups(params.map((p) => p.name))) {
    errs = errs.also(FieldError.generic("parameter appears more than once", "").viaFieldKey("params", dup));
  }
  return errs;
}

/** Enum rules; paths are `[<name>]` (caller adds `params`). */
export function validateParamEnums(params: readonly ParamSpec[], features: FeatureFlags): FieldError {
  let errs = FieldError.empty();
  for (const p of params) {
    const values = p.enum ?? [];
    if (values.length === 0) continue;
    const here = (msg: string): FieldError => FieldError.generic(msg, "").viaKey(p.name);
    if (!features.enableParamEnum) {
      errs = errs.also(here("feature flag `enable-param-enum` should be set to true to use Enum"));
    }
    if (p.type !== "string") errs = errs.also(here("enum can only be set with string type param"));
    for (const dup of findDups(values))
      errs = errs.also(here(`parameter enum value ${dup} appears more than once`));
    const def = stringVal(p.default);
    if (p.default !== undefined && def !== "" && !values.includes(def)) {
      errs = errs.also(here(`param default value ${def} not in the enum list`));
    }
  }
  return errs;
}

/** Name-format rules for string/array names and object names and keys; path `params`. */
export function validateNameFormat(
  stringAndArrayNames: ReadonlySet<string>,
  objectParams: readonly ParamSpec[],
): FieldError {
  let errs = FieldError.empty();
  const invalid = [...stringAndArrayNames].sort().filter((n) => !STRING_ARRAY_NAME.test(n));
  if (invalid.length > 0) {
    errs = errs.also(
      FieldError.of(
        `The format of following array and string variable names is invalid: ${goList(invalid)}`,
        ["params"],
        "String/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)",
      ),
    );
  }
  const invalidObjects = new Map<string, string[]>();
  for (const obj of objectParams) {
    if (!OBJECT_NAME.test(obj.name)) invalidObjects.set(obj.name, []);
    for (const k of Object.keys(obj.properties ?? {})) {
      if (!OBJECT_NAME.test(k)) invalidObjects.set(obj.name, [...(invalidObjects.get(obj.name) ?? []), k]);
    }
  }
  if (invalidObjects.size > 0) {
    const rendered = [...invalidObjects.keys()]
      .sort()
      .map((k) => `${k}:${goList(invalidObjects.get(k) ?? [])}`)
      .join(" ");
    errs = errs.also(
      FieldError.of(
        `Object param name and key name format is invalid: map[${rendered}]`,
        ["params"],
        "Object Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_) \nMust begin with a letter or an underscore (_)",
      ),
    );
  }
  return errs;
}

/** `missing field(s): <name>.properties` for object params without properties. */
export function validateObjectParamsHaveProperties(params: readonly ParamSpec[]): FieldError {
  let errs = FieldError.empty();
  for (const p of params) {
    if (p.type === "object" && p.properties === undefined)
      errs = errs.also(FieldError.missingField(`${p.name}.properties`));
  }
  return errs;
}

/**
 * Duplicate `name`s among TaskRun/CustomRun params or bindings, compared case-insensitively.
 * With `byIndex` the path is `[i].name`, otherwise `[<later name>].name`.
 */
export function validateNoDuplicateNames(names: readonly string[], byIndex: boolean): FieldError {
  let errs = FieldError.empty();
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    const lower = n.toLowerCase();
    if (seen.has(lower)) {
      const e = FieldError.multipleOneOf("name");
      errs = errs.also(byIndex ? e.viaIndex(i) : e.viaKey(n));
    }
    seen.add(lower);
  }
  return errs;
}
