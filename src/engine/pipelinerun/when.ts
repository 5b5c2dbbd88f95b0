/** Whether a pipeline task's `when` expressions allow it to run (`WhenExpressions.AllowsExecution`). */
import type { WhenExpression } from "../../api/types.js";

/** CEL results by expression text, evaluated once per reconcile. */
export type CelResults = ReadonlyMap<string, boolean>;

export function whenAllows(when: readonly WhenExpression[] | undefined, cel: CelResults): boolean {
  for (const w of when ?? []) {
    if (w.cel !== undefined && w.cel !== "") {
      if (cel.get(w.cel) !== true) return false;
      continue;
    }
    const found = (w.values ?? []).includes(w.input ?? "");
    if ((w.operator ?? "in") === "in" ? !found : found) return false;
  }
  return true;
}
