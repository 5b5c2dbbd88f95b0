/**
 * Runtime (entrypoint) substitution of step results, just before a step starts (docs/tekton-semantics.md#runtime-substitution):
 * `$(steps.<s>.results.<r>)`, `…<r>[i]`, `…<r>[*]` and `…<r>.<key>` in env values, `when`
 * (input, values, cel), command and args. Failures never stop the step: they are reported as
 * log lines and the remaining text is left as it was, like Tekton's entrypoint.
 */
import type { ParamValue, WhenExpression } from "../../api/types.js";

/** A parsed `steps.<s>.results.<r>…` expression. */
export interface StepResultRef {
  step: string;
  result: string;
  /** The kind of reference: plain, indexed or `[*]` array, or object key. */
  type: "string" | "array" | "object";
  index?: number;
  key?: string;
}

const STEP_FORMAT = "steps.<stepName>.results.<resultName>";
const OBJECT_STEP_FORMAT = "steps.<stepName>.results.<objectResultName>.<individualAttribute>";
const ARRAY_INDEXING = /\[([0-9])*\*?\]/;

/** Parses `steps.<s>.results.<r>[…]` (without `$(` `)`); returns an Error with Tekton's message. */
export function parseStepResultExpression(expression: string): StepResultRef | Error {
  const parts = expression.split(".");
  if (parts.length >= 4 && parts[0] === "steps" && parts[2] === "results") {
    const step = parts[1] ?? "";
    if (parts.length === 4) {
      const raw = parts[3] ?? "";
      const found = ARRAY_INDEXING.exec(raw)?.[0];
      const idx = found === undefined ? "" : found.slice(1, -1);
      const result = raw.replace(new RegExp(ARRAY_INDEXING.source, "g"), "");
      if (idx === "*") return { step, result, type: "array" };
      if (idx !== "") return { step, result, type: "array", index: Number.parseInt(idx, 10) || 0 };
      return { step, result, type: "string" };
    }
    if (parts.length === 5) return { step, result: parts[3] ?? "", type: "object", key: parts[4] ?? "" };
  }
  return new Error(`must be one of the form 1). "${STEP_FORMAT}"; 2). "${OBJECT_STEP_FORMAT}"`);
}

/**
 * Reads a result file's content the way Tekton types it (`ParamValue.UnmarshalJSON`): a JSON
 * array of strings, a JSON object of strings, a JSON string literal, or else the raw text.
 */
export function parseResultValue(content: string): ParamValue {
  if (content.startsWith("[")) {
    const parsed = tryJson(content);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string" || v === null)) {
      return parsed.map((v) => (typeof v === "string" ? v : ""));
    }
  }
  if (content.startsWith("{")) {
    const parsed = tryJson(content);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      const entries = Object.entries(parsed as Record<string, unknown>);
      if (entries.every(([, v]) => typeof v === "string" || v === null)) {
        return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === "string" ? v : ""]));
      }
    }
  }
  const parsed = tryJson(content);
  return typeof parsed === "string" ? parsed : content;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads the raw content of `/tekton/steps/step-<step>/results/<result>`; undefined when absent. */
export type ReadStepResult = (step: string, result: string) => string | undefined;

/** A log line as Tekton's entrypoint prints it through slog (without timestamp and level). */
export function entrypointLogLine(message: string, error: string): string {
  return `${message} error=${JSON.stringify(error)}`;
}

const STEP_RESULT_USAGE = /\$\(steps\..*?\.results\..*?\)/g;
const ISOLATION_ERROR =
  'value must be in "$(steps.<step-name>.results.<result-name>[*])" format, when using array results';

class RuntimeError extends Error {}

function findReplacement(reference: string, read: ReadStepResult): { text: string; array: string[] } {
  const ref = parseStepResultExpression(reference.slice(2, -1));
  if (ref instanceof Error) throw new RuntimeError(ref.message);
  const content = read(ref.step, ref.result);
  if (content === undefined) {
    throw new RuntimeError(
      `open /tekton/steps/step-${ref.step}/results/${ref.result}: no such file or directory`,
    );
  }
  const value = parseResultValue(content);
  if (ref.type === "object") {
    const obj = typeof value === "object" && !Array.isArray(value) ? value : {};
    return { text: ref.key !== undefined ? (obj[ref.key] ?? "") : "", array: [] };
  }
  if (ref.type === "array") {
    const arr = Array.isArray(value) ? value : [];
    if (ref.index === undefined) return { text: "", array: [...arr] };
    const item = arr[ref.index];
    if (item === undefined) {
      throw new RuntimeError(`index out of range [${ref.index}] with length ${arr.length}`);
    }
    return { text: item, array: [] };
  }
  return { text: typeof value === "string" ? value : "", array: [] };
}

function replaceAll(text: string, read: ReadStepResult): string {
  let out = text;
  for (const m of text.matchAll(STEP_RESULT_USAGE))
    out = out.split(m[0]).join(findReplacement(m[0], read).text);
  return out;
}

/** One list element; splices an array only when the element is exactly the reference. */
function replaceElement(
  element: string,
  read: ReadStepResult,
  onMissing?: (ref: string) => string,
): string[] {
  let out = [element];
  for (const m of element.matchAll(STEP_RESULT_USAGE)) {
    let found: { text: string; array: string[] };
    try {
      found = findReplacement(m[0], read);
    } catch (err) {
      if (onMissing !== undefined && err instanceof RuntimeError) throw new RuntimeError(onMissing(m[0]));
      throw err;
    }
    if (found.array.length > 0) {
      if (element !== m[0]) throw new RuntimeError(ISOLATION_ERROR);
      out = found.array;
    } else {
      out[0] = (out[0] ?? "").split(m[0]).join(found.text);
    }
  }
  return out;
}

/** The step fields the entrypoint rewrites. */
export interface RuntimeStepFields<
  E extends { name: string; value?: string } = { name: string; value?: string },
> {
  command?: string[];
  args?: string[];
  env?: E[];
  when?: WhenExpression[];
}

/** Outcome of a runtime substitution: the rewritten fields and the log lines it produced. */
export interface RuntimeSubstitution<T> {
  step: T;
  warnings: string[];
}

/**
 * Replaces step-result references as the entrypoint does: env values one by one, then each
 * `when` (values, input, cel), then command and args together. The first failure is reported
 * as `Error while substituting step results:` and ends the substitution, leaving whatever was
 * not yet replaced as typed (command/args only change when all of them succeed).
 */
export function substituteStepResultsAtRuntime<
  E extends { name: string; value?: string },
  T extends RuntimeStepFields<E>,
>(step: T, readResult: ReadStepResult): RuntimeSubstitution<T> {
  const out: T = { ...step };
  if (step.env !== undefined) out.env = step.env.map((e) => ({ ...e }));
  if (step.when !== undefined) out.when = step.when.map((w) => ({ ...w }));
  try {
    for (const e of out.env ?? []) {
      if (e.value !== undefined) e.value = replaceAll(e.value, readResult);
    }
    for (const w of out.when ?? []) {
      if (w.values !== undefined) {
        const values: string[] = [];
        for (const v of w.values) values.push(...replaceElement(v, readResult));
        w.values = values;
      }
      if (w.input !== undefined) w.input = replaceAll(w.input, readResult);
      if (w.cel !== undefined) w.cel = replaceAll(w.cel, readResult);
    }
    const command: string[] = [];
    const args: string[] = [];
    const missing = (element: string) => (ref: string) =>
      `failed to find replacement for ${ref} to replace ${element}`;
    for (const c of step.command ?? []) command.push(...replaceElement(c, readResult, missing(c)));
    for (const a of step.args ?? []) args.push(...replaceElement(a, readResult, missing(a)));
    if (step.command !== undefined) out.command = command;
    if (step.args !== undefined) out.args = args;
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    return {
      step: out,
      warnings: [entrypointLogLine("Error while substituting step results:", err.message)],
    };
  }
  return { step: out, warnings: [] };
}
