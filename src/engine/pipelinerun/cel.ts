/** CEL in `when` expressions, evaluated without variables after substitution, as Tekton does. */
import { createRequire } from "node:module";
import type * as Cel from "@marcbachmann/cel-js";

let cel: typeof Cel | undefined;
const celLib = (): typeof Cel =>
  (cel ??= createRequire(import.meta.url)("@marcbachmann/cel-js") as typeof Cel);

export class CelEvaluationError extends Error {}

/** Evaluates each distinct expression to a boolean; throws CelEvaluationError otherwise. */
export function evaluateWhenCel(expressions: Iterable<string>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const expr of expressions) {
    if (expr === "" || out.has(expr)) continue;
    const value = evaluateCel(expr);
    if (typeof value !== "boolean")
      throw new CelEvaluationError(`The CEL expression ${expr} is not evaluated to a boolean`);
    out.set(expr, value);
  }
  return out;
}

/** The value of one expression without variables; throws CelEvaluationError when it does not compile or run. */
export function evaluateCel(expr: string): unknown {
  try {
    return celLib().evaluate(expr);
  } catch (err) {
    throw new CelEvaluationError((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "");
  }
}
