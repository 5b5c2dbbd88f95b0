/**
 * Reading and typing results (docs/tekton-semantics.md#results, #size-limits): raw bytes for strings, JSON for arrays and
 * objects, declared-type checks, and the size policies of both result transports.
 */
import type { ParamType, ParamValue, TaskResult, TaskRunResult } from "../../api/types.js";

/**
 * Tekton's `ParamValue.UnmarshalJSON` applied to a result file: `[`… parsing as `[]string` is an
 * array, `{`… parsing as `map[string]string` is an object, a JSON string literal is unquoted,
 * anything else stays the raw text. Leading whitespace makes it a string.
 */
export function parseResultValue(raw: string): { type: ParamType; value: ParamValue } {
  const first = raw[0];
  if (first === "[" || first === "{") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (first === "[" && Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) {
        return { type: "array", value: parsed as string[] };
      }
      if (
        first === "{" &&
        parsed !== null &&
        typeof parsed === "object" &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === "string")
      ) {
        return { type: "object", value: parsed as Record<string, string> };
      }
    } catch {
      // Not JSON: Tekton keeps it as a plain string.
      return { type: "string", value: raw };
    }
  }
  if (first === '"') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "string") return { type: "string", value: parsed };
    } catch {
      return { type: "string", value: raw };
    }
  }
  return { type: "string", value: raw };
}

/** A declared result's value from its file contents: strings keep the raw bytes (trailing newline too). */
export function typedResult(decl: { name: string; type?: ParamType }, raw: string): TaskRunResult {
  const declared = decl.type ?? "string";
  if (declared === "string") return { name: decl.name, type: "string", value: raw };
  const parsed = parseResultValue(raw);
  return { name: decl.name, type: parsed.type, value: parsed.value };
}

export interface ResultCheck {
  results: TaskRunResult[];
  /** Tekton's message when some result does not fit its declaration, else undefined. */
  error?: string;
}

/**
 * After completion: results whose type mismatches the declaration are removed and the run fails
 * (`Provided results don't match declared results; …`); object results missing declared keys fail
 * with `missing keys for these results which are required in TaskResult's properties …`.
 */
export function checkResultTypes(declared: readonly TaskResult[], results: TaskRunResult[]): ResultCheck {
  const byName = new Map(declared.map((d) => [d.name, d]));
  const mismatches: string[] = [];
  const missingKeys: string[] = [];
  const kept: TaskRunResult[] = [];
  for (const r of results) {
    const d = byName.get(r.name);
    const want = d?.type ?? "string";
    if (d !== undefined && want !== r.type) {
      mismatches.push(
        ` "${r.name}": task result is expected to be "${want}" type but was initialized to a different type "${r.type}"`,
      );
      continue;
    }
    if (d?.type === "object" && d.properties && typeof r.value === "object" && !Array.isArray(r.value)) {
      const value = r.value;
      const missing = Object.keys(d.properties).filter((k) => !(k in value));
      if (missing.length > 0) missingKeys.push(`${r.name}:[${missing.join(" ")}]`);
    }
    kept.push(r);
  }
  if (mismatches.length > 0) {
    return {
      results: kept,
      error: `Provided results don't match declared results; may be invalid JSON or missing result declaration: ${mismatches.join(",")}`,
    };
  }
  if (missingKeys.length > 0) {
    return {
      results: kept,
      error: `missing keys for these results which are required in TaskResult's properties map[${missingKeys.join(" ")}]`,
    };
  }
  return { results: kept };
}

/** `status.results` is deduplicated by name, the last one winning. */
export function dedupeResults(results: TaskRunResult[]): TaskRunResult[] {
  const byName = new Map<string, TaskRunResult>();
  for (const r of results) {
    byName.delete(r.name);
    byName.set(r.name, r);
  }
  return [...byName.values()];
}

/** Termination-message entry types (docs/tekton-semantics.md#entrypoint). */
export const ResultEntryType = { TaskRunResult: 1, Internal: 3, StepResult: 4 } as const;

export interface MessageEntry {
  key: string;
  value: string;
  type: number;
}

/** Maximum termination message, `MaxContainerTerminationMessageLength`. */
export const MAX_TERMINATION_MESSAGE = 4096;

/** Bytes of a step's termination message: internal StartedAt plus every result entry it carries. */
export function terminationMessageSize(startedAt: string, entries: MessageEntry[]): number {
  const all = [{ key: "StartedAt", value: startedAt, type: ResultEntryType.Internal }, ...entries];
  return Buffer.byteLength(JSON.stringify(all));
}

/** The user-visible `terminated.message`: the JSON of the non-internal entries, sorted by key. */
export function renderTerminationMessage(entries: MessageEntry[]): string | undefined {
  if (entries.length === 0) return undefined;
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return JSON.stringify(sorted);
}
