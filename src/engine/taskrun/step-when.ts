/**
 * A step's `when` expressions as Tekton's entrypoint judges them just before the step would run
 * (`Entrypointer.allowExec`): CEL expressions in order (the first false one skips the step, one that
 * does not compile or is not a boolean fails it), then `WhenExpressions.AllowsExecution`.
 */
import type { WhenExpression } from "../../api/types.js";
import { CelEvaluationError, evaluateCel } from "../pipelinerun/cel.js";
import { whenAllows } from "../pipelinerun/when.js";

export const StepWhen = { Run: "run", Skip: "skip", Error: "error" } as const;

export type StepWhenDecision =
  | { kind: typeof StepWhen.Run }
  | { kind: typeof StepWhen.Skip }
  /** The entrypoint exits 1 after logging `Error executing command: <message>`. */
  | { kind: typeof StepWhen.Error; message: string };

/** Whether a step with these (substituted) `when` expressions runs. */
export function decideStepWhen(when: readonly WhenExpression[] | undefined): StepWhenDecision {
  const cel = new Map<string, boolean>();
  for (const w of when ?? []) {
    if (w.cel === undefined || w.cel === "" || cel.has(w.cel)) continue;
    let value: unknown;
    try {
      value = evaluateCel(w.cel);
    } catch (err) {
      if (err instanceof CelEvaluationError) return { kind: StepWhen.Error, message: err.message };
      throw err;
    }
    if (typeof value !== "boolean")
      return { kind: StepWhen.Error, message: `the CEL expression ${w.cel} is not evaluated to a boolean` };
    if (!value) return { kind: StepWhen.Skip };
    cel.set(w.cel, value);
  }
  return whenAllows(when, cel) ? { kind: StepWhen.Run } : { kind: StepWhen.Skip };
}
