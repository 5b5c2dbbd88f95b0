/** Step `when` expressions (`when_validation.go`); paths `when[i]` (caller adds the step). */
import { createRequire } from "node:module";
import type * as Cel from "@marcbachmann/cel-js";
import type { FeatureFlags } from "../../config/features.js";
import type { WhenExpression } from "../types.js";
import { FieldError } from "./field-error.js";

/** Loaded only when a `when` uses CEL: most runs never need the library. */
let cel: typeof Cel | undefined;

function celError(expr: string): string | undefined {
  try {
    (cel ??= createRequire(import.meta.url)("@marcbachmann/cel-js") as typeof Cel).parse(expr);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function validateOne(we: WhenExpression, features: FeatureFlags): FieldError {
  const cel = we.cel ?? "";
  const input = we.input ?? "";
  const operator = we.operator ?? "";
  const values = we.values ?? [];
  if (cel !== "") {
    if (!features.enableCelInWhenExpression) {
      return FieldError.generic(
        `feature flag enable-cel-in-whenexpression should be set to true to use CEL: ${cel} in WhenExpression`,
        "",
      );
    }
    if (input !== "" || operator !== "" || values.length !== 0) {
      return FieldError.generic(
        `cel and input+operator+values cannot be set in one WhenExpression: &{${input} ${operator} [${values.join(" ")}] ${cel}}`,
      );
    }
    const problem = celError(cel);
    // Tekton renders this through ErrGeneric's format-less signature: the expression and the
    // compiler error become the "paths".
    if (problem !== undefined)
      return FieldError.generic("invalid cel expression: %s with err: %s", cel, problem);
    return FieldError.empty();
  }
  if (input === "" && operator === "" && values.length === 0) return FieldError.missingField("");
  if (operator !== "in" && operator !== "notin") {
    return FieldError.invalidValue(`operator "${operator}" is not recognized. valid operators: in,notin`, "");
  }
  if (values.length === 0) return FieldError.invalidValue("expecting non-empty values field", "");
  return FieldError.empty();
}

/** All expressions of one step. */
export function validateWhenExpressions(
  whens: readonly WhenExpression[],
  features: FeatureFlags,
): FieldError {
  let errs = FieldError.empty();
  for (const [i, we] of whens.entries()) errs = errs.also(validateOne(we, features).viaIndex(i));
  return errs.viaField("when");
}
