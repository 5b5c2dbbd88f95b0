/**
 * Param values as Tekton's `ParamValue.UnmarshalJSON` decodes them from the JSON that Kubernetes makes
 * of the YAML: a string stays a string; an array of strings or an object of strings keeps its shape
 * (a `null` element becomes ""); anything else (numbers, booleans, mixed arrays or objects) becomes
 * its JSON text, so `true` → "true", `1` → "1", `[1, 2]` → "[1,2]".
 */
import type { ParamValue } from "./types.js";

/** Decodes one param value or default the way Tekton does; `null` becomes "". */
export function coerceParamValue(value: unknown): ParamValue {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || v === null)) {
    return value.map((v: string | null) => v ?? "");
  }
  if (isRecord(value) && Object.values(value).every((v) => typeof v === "string" || v === null)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, (v as string | null) ?? ""]));
  }
  return goJson(value);
}

/**
 * Coerces, in place, every param value in a TaskSpec: `params[].default`, `results[].value`,
 * `steps[].params[].value` and `steps[].ref.params[].value`. A `null` default means no default.
 */
export function coerceParamsInSpec(spec: Record<string, unknown>): void {
  for (const p of records(spec["params"])) {
    if (!("default" in p)) continue;
    if (p["default"] === null) delete p["default"];
    else p["default"] = coerceParamValue(p["default"]);
  }
  for (const r of records(spec["results"])) {
    if (!("value" in r)) continue;
    if (r["value"] === null) delete r["value"];
    else r["value"] = coerceParamValue(r["value"]);
  }
  for (const step of records(spec["steps"])) {
    coerceValues(step["params"]);
    const ref = step["ref"];
    if (isRecord(ref)) coerceValues(ref["params"]);
  }
}

function coerceValues(list: unknown): void {
  for (const p of records(list)) if ("value" in p) p["value"] = coerceParamValue(p["value"]);
}

function records(list: unknown): Record<string, unknown>[] {
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** Go's encoding/json output for decoded YAML: map keys sorted, HTML characters escaped. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(",")}}`;
  }
  if (typeof value === "string") return goString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "null";
}

function goString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
