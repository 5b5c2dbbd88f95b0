/**
 * The built-in `CEL` custom task (`cel.tekton.dev/v1alpha1`, kind `CEL`), as tektoncd/experimental's
 * CEL controller: each param is a CEL expression; results are the evaluated values as strings, with
 * the params' names. Reasons and messages follow that controller:
 *
 * - no params ⇒ `CustomRunValidationFailed` (Run: `RunValidationFailed`), `<Kind> can't be run
 *   because it has an invalid spec - missing field(s): params`; a param that is not a string ⇒ the
 *   same reason, `… - invalid value: CEL expression parameter <name> must be a string: params[<name>].value`
 * - an expression that does not parse ⇒ `SyntaxError`, `CEL expression <name> could not be parsed: <error>`
 * - an expression that fails to evaluate ⇒ `EvaluationError`, `CEL expression <name> could not be evaluated: <error>`
 * - success ⇒ `EvaluationSuccess`, `CEL expressions were evaluated successfully`
 *
 * @module
 */
import { createRequire } from "node:module";
import type * as Cel from "@marcbachmann/cel-js";

/** Loaded on first evaluation so that runs without CEL tasks do not pay for the library. */
let cel: typeof Cel | undefined;
const celLib = (): typeof Cel =>
  (cel ??= createRequire(import.meta.url)("@marcbachmann/cel-js") as typeof Cel);
import type { CustomTaskDefinition } from "../controller.js";
import { CustomTaskError, errorMessage } from "../errors.js";
import { paramsOf } from "../run-view.js";
import { defineCustomTask } from "../sdk.js";

/** `cel.tekton.dev/v1alpha1`. */
export const CEL_API_VERSION = "cel.tekton.dev/v1alpha1";

/** The CEL task's reasons and messages. */
export const CelReason = {
  SyntaxError: "SyntaxError",
  EvaluationError: "EvaluationError",
  EvaluationSuccess: "EvaluationSuccess",
} as const;

/** `CEL expressions were evaluated successfully`. */
export const CEL_SUCCESS_MESSAGE = "CEL expressions were evaluated successfully";

/** The first line of a cel-js error (the rest is a source excerpt). */
function firstLine(err: unknown): string {
  return errorMessage(err).split("\n")[0]?.trim() ?? "";
}

/** A CEL value as a result string, as cel-go's conversion to `string` renders it. */
export function celToString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  if (value === null || value === undefined) return "null";
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, "Z");
  if (Array.isArray(value) || value.constructor === Object || value instanceof Map) {
    const plain = value instanceof Map ? Object.fromEntries(value) : value;
    return JSON.stringify(plain, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  }
  const named = value as { name?: unknown };
  if (value.constructor?.name === "Type" && typeof named.name === "string") return named.name;
  return String(value);
}

/** Evaluates every param; throws `CustomTaskError` with the reference reasons. */
export function evaluateCelParams(
  params: ReadonlyArray<{ name: string; value: unknown }>,
  validationReason: string,
  kind: string,
): Record<string, string> {
  const invalid = `${kind} can't be run because it has an invalid spec - `;
  if (params.length === 0) throw new CustomTaskError(validationReason, `${invalid}missing field(s): params`);
  for (const p of params) {
    if (typeof p.value !== "string" || p.value === "") {
      throw new CustomTaskError(
        validationReason,
        `${invalid}invalid value: CEL expression parameter ${p.name} must be a string: params[${p.name}].value`,
      );
    }
  }
  const results: Record<string, string> = {};
  const { evaluate, parse } = celLib();
  for (const p of params) {
    const expr = p.value as string;
    try {
      parse(expr);
    } catch (err) {
      throw new CustomTaskError(
        CelReason.SyntaxError,
        `CEL expression ${p.name} could not be parsed: ${firstLine(err)}`,
      );
    }
    try {
      results[p.name] = celToString(evaluate(expr));
    } catch (err) {
      throw new CustomTaskError(
        CelReason.EvaluationError,
        `CEL expression ${p.name} could not be evaluated: ${firstLine(err)}`,
      );
    }
  }
  return results;
}

/** The CEL controller (retries are honoured; a failed evaluation fails the same way each time). */
export const celTask: CustomTaskDefinition = defineCustomTask({
  apiVersion: CEL_API_VERSION,
  kind: "CEL",
  run(ctx) {
    const validation = ctx.run.kind === "Run" ? "RunValidationFailed" : "CustomRunValidationFailed";
    const results = evaluateCelParams(paramsOf(ctx.run), validation, ctx.run.kind);
    return { results, reason: CelReason.EvaluationSuccess, message: CEL_SUCCESS_MESSAGE };
  },
}) as CustomTaskDefinition;
