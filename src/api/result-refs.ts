/**
 * Result references between pipeline tasks — `$(tasks.<task>.results.<result>)`, with `[<i>]`,
 * `[*]` or `.<key>` — found where Tekton looks for them (`pkg/apis/pipeline/v1/resultref.go`,
 * `pkg/internal/resultref`): a pipeline task's params (also matrix params and include), its
 * `when` expressions, and the steps and sidecars of its embedded spec. The ordering such a
 * reference implies (`PipelineTask.Deps`) is one home for both validation and the reconciler.
 *
 * @module
 */

import type { PipelineTask } from "./pipeline-types.js";
import type { ContainerFields, Param, ParamValue, WhenExpression } from "./types.js";

/** `$(…)` as Tekton's `VariableSubstitutionRegex` finds it. */
const VARIABLE_SUBSTITUTION = /\$\([_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?\)/g;
/** `[<digits>]`, `[*]` or `[]` at the end of a result name (`arrayIndexing`). */
const ARRAY_INDEXING = /\[([0-9])*\*?\]/;

/** The expressions (without `$(` and `)`) in a string, as Tekton's `validateString` returns them. */
export function substitutionExpressions(text: string): string[] {
  return [...text.matchAll(VARIABLE_SUBSTITUTION)].map((m) => m[0].slice(2, -1));
}

/** The type of the value a reference reads. */
export const ResultRefType = { String: "string", Array: "array", Object: "object" } as const;
export type ResultRefType = (typeof ResultRefType)[keyof typeof ResultRefType];

/** A parsed `tasks.<pipelineTask>.results.<result>…` (or `finally.…`) expression. */
export interface ResultRef {
  pipelineTask: string;
  result: string;
  type: ResultRefType;
  /** `[i]`; absent for `[*]` and for plain references. */
  index?: number;
  /** `.key` of an object result. */
  property?: string;
}

/** `LooksLikeResultRef`: `tasks|finally.<x>.results.<y>…` with at least four parts. */
export function looksLikeResultRef(expression: string): boolean {
  const parts = expression.split(".");
  return parts.length >= 4 && (parts[0] === "tasks" || parts[0] === "finally") && parts[2] === "results";
}

/** `ParseResultName`: the result name without its index, and the index text (`*`, digits or ""). */
export function parseResultName(name: string): { name: string; index: string } {
  const m = ARRAY_INDEXING.exec(name);
  const index = m ? m[0].slice(1, -1) : "";
  return { name: name.replace(new RegExp(ARRAY_INDEXING.source, "g"), ""), index };
}

/** `ParseTaskExpression`: undefined unless the expression is a task result reference of 4 or 5 parts. */
export function parseResultRef(expression: string): ResultRef | undefined {
  if (!looksLikeResultRef(expression)) return undefined;
  const parts = expression.split(".");
  const pipelineTask = parts[1] ?? "";
  if (parts.length === 4) {
    const { name, index } = parseResultName(parts[3] ?? "");
    if (index === "") return { pipelineTask, result: name, type: ResultRefType.String };
    if (index === "*") return { pipelineTask, result: name, type: ResultRefType.Array };
    // Go's strconv.Atoi on "" or an overflow yields 0.
    const n = Number.parseInt(index, 10);
    return { pipelineTask, result: name, type: ResultRefType.Array, index: Number.isFinite(n) ? n : 0 };
  }
  if (parts.length === 5) {
    return { pipelineTask, result: parts[3] ?? "", type: ResultRefType.Object, property: parts[4] ?? "" };
  }
  return undefined;
}

/** `NewResultRefs`: the references among the expressions (others are ignored). */
export function resultRefsIn(expressions: readonly string[]): ResultRef[] {
  return expressions.flatMap((e) => {
    const r = parseResultRef(e);
    return r === undefined ? [] : [r];
  });
}

/** `LooksLikeContainsResultRefs`. */
export function containsResultRefs(expressions: readonly string[]): boolean {
  return expressions.some(looksLikeResultRef);
}

/** The strings of a param value (string; array items; object values). */
export function paramValueStrings(v: ParamValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === "string");
  return Object.values(v).filter((s): s is string => typeof s === "string");
}

/** `Param.GetVarSubstitutionExpressions`. */
export function paramExpressions(p: Param): string[] {
  return paramValueStrings(p.value).flatMap(substitutionExpressions);
}

/** `WhenExpression.GetVarSubstitutionExpressions`: input, cel, then values. */
export function whenExpressionExpressions(w: WhenExpression): string[] {
  return [w.input ?? "", w.cel ?? "", ...(w.values ?? [])].flatMap(substitutionExpressions);
}

/** `Step/Sidecar.GetVarSubstitutionExpressions`. */
function containerExpressions(c: ContainerFields & { script?: string }): string[] {
  const strings: string[] = [
    c.name ?? "",
    c.image ?? "",
    c.imagePullPolicy ?? "",
    c.script ?? "",
    c.workingDir ?? "",
    ...(c.command ?? []),
    ...(c.args ?? []),
  ];
  for (const env of c.env ?? []) {
    strings.push(env.value ?? "");
    const from = env.valueFrom;
    if (from?.secretKeyRef) strings.push(from.secretKeyRef.key ?? "", from.secretKeyRef.name ?? "");
    if (from?.configMapKeyRef) strings.push(from.configMapKeyRef.key ?? "", from.configMapKeyRef.name ?? "");
  }
  return strings.flatMap(substitutionExpressions);
}

/** `PipelineTask.extractAllParams`: params, then matrix params, then every include's params. */
export function allParamsOf(pt: PipelineTask): Param[] {
  return [
    ...(pt.params ?? []),
    ...(pt.matrix?.params ?? []),
    ...(pt.matrix?.include ?? []).flatMap((i) => i.params ?? []),
  ];
}

/** `PipelineTask.GetVarSubstitutionExpressions`: the embedded spec's steps and sidecars. */
export function embeddedSpecExpressions(pt: PipelineTask): string[] {
  const spec = pt.taskSpec;
  if (spec === undefined || spec === null) return [];
  return [...(spec.steps ?? []), ...(spec.sidecars ?? [])].flatMap(containerExpressions);
}

/** `PipelineTaskResultRefs`: every result reference of a pipeline task. */
export function pipelineTaskResultRefs(pt: PipelineTask): ResultRef[] {
  return [
    ...allParamsOf(pt).flatMap((p) => resultRefsIn(paramExpressions(p))),
    ...(pt.when ?? []).flatMap((w) => resultRefsIn(whenExpressionExpressions(w))),
    ...resultRefsIn(embeddedSpecExpressions(pt)),
  ];
}

/** `PipelineTask.Deps`: the tasks it must wait for (result references and `runAfter`), sorted, unique. */
export function pipelineTaskDeps(pt: PipelineTask): string[] {
  const deps = new Set<string>(pt.runAfter ?? []);
  for (const r of pipelineTaskResultRefs(pt)) deps.add(r.pipelineTask);
  return [...deps].sort(byteCompare);
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
