/**
 * Param checking for SDK controllers: the run's `spec.params` against the controller's
 * declarations. Pure; the engine reports problems through status (`CustomRunValidationFailed`).
 *
 * @module
 */
import type { Param, ParamValue } from "../api/types.js";
import type { ParamDecl, ParamDecls } from "./controller.js";

/** The outcome of {@link resolveParams}: the values, or every problem found (in a stable order). */
export type ResolvedParams =
  { ok: true; values: Record<string, ParamValue> } | { ok: false; problems: string[] };

function typeName(v: ParamValue): "string" | "array" | "object" {
  if (typeof v === "string") return "string";
  return Array.isArray(v) ? "array" : "object";
}

function article(t: string): string {
  return t === "array" || t === "object" ? `an ${t}` : `a ${t}`;
}

function checkOne(name: string, decl: ParamDecl, value: ParamValue): string | undefined {
  const want = decl.type ?? "string";
  const got = typeName(value);
  if (got !== want) return `param "${name}" must be ${article(want)}, got ${article(got)}`;
  if (want === "string" && decl.enum !== undefined && !decl.enum.includes(value as string)) {
    return `param "${name}" value "${value as string}" is not in the enum [${decl.enum.join(", ")}]`;
  }
  return undefined;
}

/**
 * Without declarations every given param passes through. With declarations: unknown params,
 * missing required params (no default), type mismatches and values outside `enum` are problems;
 * defaults fill the params not given.
 */
export function resolveParams(given: readonly Param[], decls: ParamDecls | undefined): ResolvedParams {
  const values: Record<string, ParamValue> = {};
  if (decls === undefined) {
    for (const p of given) values[p.name] = p.value;
    return { ok: true, values };
  }
  const problems: string[] = [];
  for (const p of given) {
    const decl = decls[p.name];
    if (decl === undefined) {
      problems.push(`unexpected param "${p.name}"`);
      continue;
    }
    const problem = checkOne(p.name, decl, p.value);
    if (problem !== undefined) problems.push(problem);
    else values[p.name] = p.value;
  }
  for (const [name, decl] of Object.entries(decls)) {
    if (given.some((p) => p.name === name)) continue;
    if (decl.default === undefined) problems.push(`missing param "${name}"`);
    else values[name] = structuredClone(decl.default);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** A param's value as a list: an array as is, a string split on commas (trimmed, empties dropped). */
export function listParam(value: ParamValue | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((v) => v.trim()).filter((v) => v !== "");
  if (typeof value === "string")
    return value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
  return Object.values(value);
}
