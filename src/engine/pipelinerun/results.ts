/**
 * Task results flowing to later tasks and to the pipeline's results
 * (`resultrefresolution.go`, `ApplyTaskResultsToPipelineResults`).
 */
import type { TaskRunStatus } from "../../api/types.js";
import {
  emptyReplacements,
  marshalArtifactValues,
  replaceParamValue,
  type MutableReplacements,
} from "../substitution/index.js";
import { ChildKind } from "./children.js";
import type { Facts } from "./facts.js";
import { taskResults, type ResolvedRef } from "./task-results.js";
import { parseResultRef, substitutionExpressions as expressionsIn } from "../../api/result-refs.js";
import type { PipelineResult, PipelineRunResult } from "../../api/pipeline-types.js";

const spellings = (task: string, result: string): string[] => [
  `tasks.${task}.results.${result}`,
  `tasks.${task}.results["${result}"]`,
  `tasks.${task}.results['${result}']`,
];

/** Replacement maps for resolved references (strings, indexed elements, object keys, whole values). */
export function refReplacements(refs: readonly ResolvedRef[], prefix = "tasks"): MutableReplacements {
  const out = emptyReplacements();
  for (const { ref, value } of refs) {
    const keys = spellings(ref.pipelineTask, ref.result).map((k) => k.replace(/^tasks\./, `${prefix}.`));
    if (typeof value === "string") for (const k of keys) out.strings.set(k, value);
    else if (Array.isArray(value)) {
      for (const k of keys) {
        value.forEach((v, i) => out.strings.set(`${k}[${i}]`, v));
        out.arrays.set(k, value);
      }
    } else {
      for (const k of keys) out.objects.set(k, value);
      for (const [key, v] of Object.entries(value)) out.strings.set(`${keys[0]}.${key}`, v);
    }
  }
  return out;
}

/** An array index past the end fails the PipelineRun (validateArrayResultsIndex). */
export function arrayIndexError(refs: readonly ResolvedRef[]): string | undefined {
  for (const { ref, value } of refs) {
    if (Array.isArray(value) && ref.index !== undefined && ref.index >= value.length)
      return `array Result Index ${ref.index} for Task ${ref.pipelineTask} Result ${ref.result} is out of bound of size ${value.length}`;
  }
  return undefined;
}

/**
 * The pipeline's results from the results of its tasks (and finally tasks). A result whose task
 * did not succeed is left out; a reference to a result that does not exist is an error.
 */
export function pipelineResults(
  facts: Facts,
  results: readonly PipelineResult[] | undefined,
): { results: PipelineRunResult[]; error?: string } {
  const out: PipelineRunResult[] = [];
  const invalid: string[] = [];
  const statuses = new Map([...facts.taskStatuses(), ...facts.finalStatuses()]);
  for (const res of results ?? []) {
    const strings = typeof res.value === "string" ? [res.value] : Object.values(res.value);
    const refs: ResolvedRef[] = [];
    let valid = true;
    let sawRef = false;
    for (const s of strings) {
      for (const e of expressionsIn(s)) {
        const ref = parseResultRef(e);
        if (ref === undefined) continue;
        sawRef = true;
        const src = facts.byName.get(ref.pipelineTask);
        const value = src === undefined ? undefined : taskResults(facts, src)?.get(ref.result);
        if (value === undefined) {
          valid = false;
          if (statuses.get(`tasks.${ref.pipelineTask}.status`) === "Succeeded" || src === undefined)
            invalid.push(res.name);
          continue;
        }
        if (
          ref.property !== undefined &&
          (typeof value !== "object" || Array.isArray(value) || !(ref.property in value))
        ) {
          valid = false;
          invalid.push(res.name);
          continue;
        }
        if (ref.index !== undefined && (!Array.isArray(value) || ref.index >= value.length)) {
          valid = false;
          invalid.push(res.name);
          continue;
        }
        refs.push({ ref, value });
      }
    }
    if (!sawRef || !valid) continue;
    const r = refReplacements(refs);
    const f = refReplacements(refs, "finally");
    const merged = {
      strings: new Map([...r.strings, ...f.strings]),
      arrays: new Map([...r.arrays, ...f.arrays]),
      objects: new Map([...r.objects, ...f.objects]),
    };
    out.push({ name: res.name, value: replaceParamValue(res.value, merged) });
  }
  const unique = [...new Set(invalid)];
  return unique.length > 0
    ? {
        results: out,
        error: `invalid pipelineresults [${unique.join(" ")}], the referenced results don't exist`,
      }
    : { results: out };
}

/**
 * `$(tasks.<t>.inputs.<name>)` / `$(tasks.<t>.outputs.<name>)` (and the bare form for the first
 * artifact) from the artifacts of finished TaskRuns, as JSON of their values (PropagateArtifacts).
 */
export function artifactReplacements(facts: Facts): MutableReplacements {
  const out = emptyReplacements();
  for (const t of facts.tasks) {
    if (t.kind !== ChildKind.TaskRun || (!facts.successful(t) && !facts.failure(t))) continue;
    for (const child of t.children) {
      const artifacts = (child["status"] as TaskRunStatus | undefined)?.artifacts;
      for (const [kind, list] of [
        ["inputs", artifacts?.inputs],
        ["outputs", artifacts?.outputs],
      ] as const) {
        (list ?? []).forEach((a, i) => {
          const json = marshalArtifactValues(a.values);
          out.strings.set(`tasks.${t.pt.name}.${kind}.${a.name ?? ""}`, json);
          if (i === 0) out.strings.set(`tasks.${t.pt.name}.${kind}`, json);
        });
      }
    }
  }
  return out;
}
