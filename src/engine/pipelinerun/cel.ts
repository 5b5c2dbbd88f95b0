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
    let value: unknown;
    try {
      value = celLib().evaluate(expr);
    } catch (err) {
      throw new CelEvaluationError((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "");
    }
    if (typeof value !== "boolean")
      throw new CelEvaluationError(`The CEL expression ${expr} is not evaluated to a boolean`);
    out.set(expr, value);
  }
  return out;
}
