/**
 * A small scanner for Tekton `$(...)` references, matching what `pkg/substitution` does at
 * admission time. `prefix` is a regular-expression fragment, as in Tekton (`params`,
 * `context\.taskRun`, `params\.<name>`), so an unescaped dot matches any character there too.
 */
import { FieldError, goQuote } from "./field-error.js";

const SUBST = String.raw`.*?(\[\*\])?`;
const cache = new Map<string, RegExp | null>();

function referenceRegex(prefix: string): RegExp | null {
  const hit = cache.get(prefix);
  if (hit !== undefined) return hit;
  let re: RegExp | null;
  try {
    re = new RegExp(
      String.raw`(\$(\(${prefix}(\.(?<var1>${SUBST})|\["(?<var2>${SUBST})"\]|\['(?<var3>${SUBST})'\])\)))`,
      "g",
    );
  } catch (err) {
    // Tekton ignores prefixes that do not compile (e.g. odd param names): no references found.
    if (!(err instanceof SyntaxError)) throw err;
    re = null;
  }
  cache.set(prefix, re);
  return re;
}

interface RefMatch {
  text: string;
  var1: string;
  var2: string;
  var3: string;
}

function matches(s: string, prefix: string): RefMatch[] {
  const re = referenceRegex(prefix);
  if (re === null) return [];
  return [...s.matchAll(re)].map((m) => ({
    text: m[0],
    var1: m.groups?.["var1"] ?? "",
    var2: m.groups?.["var2"] ?? "",
    var3: m.groups?.["var3"] ?? "",
  }));
}

/** Result of {@link extractVariables}. */
export interface ExtractedVariables {
  vars: string[];
  present: boolean;
  /** Non-empty when a dotted reference has more than two components. */
  error: string;
}

/** `substitution.ExtractVariablesFromString`: referenced names (first dotted component). */
export function extractVariables(s: string, prefix: string): ExtractedVariables {
  const found = matches(s, prefix);
  if (found.length === 0) return { vars: [], present: false, error: "" };
  const vars: string[] = found.map(() => "");
  for (const [i, m] of found.entries()) {
    if (m.var1.includes(".")) {
      if (m.var1.split(".").length > 2) {
        return {
          vars,
          present: true,
          error: `Invalid referencing of parameters in "${s}"! Only two dot-separated components after the prefix "${prefix}" are allowed.`,
        };
      }
      vars[i] = m.var1.split(".")[0] ?? "";
      continue;
    }
    vars[i] = m.var1 || m.var2 || m.var3;
  }
  return { vars, present: true, error: "" };
}

/** Whole referenced names, dots kept (`extractEntireVariablesFromString`). */
export function extractEntireVariables(s: string, prefix: string): string[] {
  return matches(s, prefix).map((m) => m.var1 || m.var2 || m.var3);
}

/** Full text of every reference with this prefix (`ExtractVariableExpressions`). */
export function extractExpressions(s: string, prefix: string): string[] {
  return matches(s, prefix).map((m) => m.text);
}

/** Removes `[0]`/`[*]` indexing (`TrimArrayIndex`). */
export function trimArrayIndex(s: string): string {
  return s.replace(/\[([0-9])*\*?\]/g, "");
}

const at = (message: string): FieldError => FieldError.of(message, [""]);

/** `non-existent variable in "<value>"` when a reference names something outside `vars`. */
export function noUnknownVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldError {
  const { vars: used, present, error } = extractVariables(value, prefix);
  if (!present) return FieldError.empty();
  if (error !== "") return at(error);
  for (const v of used) {
    if (!vars.has(trimArrayIndex(v))) return at(`non-existent variable in ${goQuote(value)}`);
  }
  return FieldError.empty();
}

/** `variable type invalid in "<value>"` when a name in `vars` is referenced (whole or `[*]`). */
export function noProhibitedVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldError {
  const { vars: used, present, error } = extractVariables(value, prefix);
  if (!present) return FieldError.empty();
  if (error !== "") return at(error);
  for (const v of used) {
    if (vars.has(v.endsWith("[*]") ? v.slice(0, -3) : v))
      return at(`variable type invalid in ${goQuote(value)}`);
  }
  return FieldError.empty();
}

/** Like {@link noProhibitedVariables} but names keep their dots, so `$(params.o.key)` is allowed. */
export function noEntireProhibitedVariables(
  value: string,
  prefix: string,
  vars: ReadonlySet<string>,
): FieldError {
  for (const v of extractEntireVariables(value, prefix)) {
    if (vars.has(v.endsWith("[*]") ? v.slice(0, -3) : v))
      return at(`variable type invalid in ${goQuote(value)}`);
  }
  return FieldError.empty();
}

/** `variable is not properly isolated in "<value>"`: an array reference must be the whole string. */
export function referenceIsIsolated(value: string, prefix: string, vars: ReadonlySet<string>): FieldError {
  const { vars: used, present, error } = extractVariables(value, prefix);
  if (!present) return FieldError.empty();
  if (error !== "") return at(error);
  const first = matches(value, prefix)[0]?.text ?? "";
  for (const v of used) {
    if (vars.has(v.endsWith("[*]") ? v.slice(0, -3) : v) && value.length !== first.length) {
      return at(`variable is not properly isolated in ${goQuote(value)}`);
    }
  }
  return FieldError.empty();
}
