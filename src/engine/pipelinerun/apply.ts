/**
 * Substitution over a pipeline spec (`pkg/reconciler/pipelinerun/resources/apply.go`): params
 * (with defaults and their propagation into embedded specs), context variables,
 * `$(workspaces.<w>.bound)`, task results and `$(tasks.<t>.status)`, each applied to the fields
 * of a pipeline task where Tekton substitutes.
 */
import type { ParamValue, WhenExpression } from "../../api/types.js";
import {
  applyArrayReplacements,
  applyReplacements,
  emptyReplacements,
  paramKeys,
  paramReplacements,
  replaceInTaskSpec,
  replaceParamValue,
  replaceParams,
  resolveParams,
  type MutableReplacements,
  type Replacements,
} from "../substitution/index.js";
import type { PipelineRun, PipelineSpec, PipelineTask } from "../../api/pipeline-types.js";

/** The param values a PipelineRun gives its pipeline: its own params over the declared defaults. */
export function pipelineParamValues(spec: PipelineSpec, pr: PipelineRun): Map<string, ParamValue> {
  return resolveParams(spec.params, pr.spec.params, { propagate: true });
}

function replaceWhen(when: readonly WhenExpression[], r: Replacements): WhenExpression[] {
  return when.map((w) => {
    const out: WhenExpression = { ...w };
    if (w.input !== undefined) out.input = applyReplacements(w.input, r.strings);
    if (w.cel !== undefined) out.cel = applyReplacements(w.cel, r.strings);
    if (w.values !== undefined) out.values = w.values.flatMap((v) => applyArrayReplacements(v, r));
    return out;
  });
}

/** Applies replacements to the fields of one pipeline task that Tekton substitutes. */
export function replaceInPipelineTask(pt: PipelineTask, r: Replacements, propagate = false): PipelineTask {
  const out: PipelineTask = structuredClone(pt);
  if (out.params) out.params = replaceParams(out.params, r);
  if (out.matrix?.params) out.matrix.params = replaceParams(out.matrix.params, r);
  for (const inc of out.matrix?.include ?? []) if (inc.params) inc.params = replaceParams(inc.params, r);
  if (out.displayName !== undefined) out.displayName = applyReplacements(out.displayName, r.strings);
  for (const w of out.workspaces ?? []) {
    if (w.subPath !== undefined) w.subPath = applyReplacements(w.subPath, r.strings);
  }
  if (out.when) out.when = replaceWhen(out.when, r);
  if (out.taskRef) {
    if (out.taskRef.params) out.taskRef.params = replaceParams(out.taskRef.params, r);
    if (out.taskRef.name !== undefined) out.taskRef.name = applyReplacements(out.taskRef.name, r.strings);
  }
  if (out.pipelineRef?.params) out.pipelineRef.params = replaceParams(out.pipelineRef.params, r);
  if (out.onError !== undefined) out.onError = applyReplacements(out.onError, r.strings);
  if (out.timeout !== undefined) out.timeout = applyReplacements(out.timeout, r.strings);
  if (propagate && out.taskSpec !== undefined && out.taskSpec.steps !== undefined) {
    out.taskSpec = { ...out.taskSpec, ...replaceInTaskSpec(out.taskSpec, propagationScope(out, r)) };
  }
  return out;
}

/**
 * What an embedded spec sees of the pipeline's params: the pipeline's values, except that a
 * param the pipeline task passes itself takes the task's value (Tekton's scope precedence).
 */
function propagationScope(pt: PipelineTask, r: Replacements): Replacements {
  if (!pt.params?.length) return r;
  const out: MutableReplacements = {
    strings: new Map(r.strings),
    arrays: new Map(r.arrays),
    objects: new Map(r.objects),
  };
  for (const p of pt.params) {
    for (const key of paramKeys(p.name)) {
      if (out.strings.has(key) && typeof p.value === "string") out.strings.set(key, p.value);
      if (out.arrays.has(key) && Array.isArray(p.value)) out.arrays.set(key, p.value);
      if (out.objects.has(key) && typeof p.value === "object" && !Array.isArray(p.value)) {
        out.objects.set(key, p.value);
        for (const [k, v] of Object.entries(p.value)) out.strings.set(`params.${p.name}.${k}`, v);
      }
    }
  }
  return out;
}

function replaceTasks(spec: PipelineSpec, r: Replacements, propagate: boolean): PipelineSpec {
  const out: PipelineSpec = { ...spec };
  if (spec.tasks) out.tasks = spec.tasks.map((t) => replaceInPipelineTask(t, r, propagate));
  if (spec.finally) out.finally = spec.finally.map((t) => replaceInPipelineTask(t, r, propagate));
  return out;
}

/** `$(context.pipelineRun.*)` and `$(context.pipeline.name)`. */
export function contextReplacements(pipelineName: string, pr: PipelineRun): Map<string, string> {
  return new Map([
    ["context.pipelineRun.name", pr.metadata.name ?? ""],
    ["context.pipeline.name", pipelineName],
    ["context.pipelineRun.namespace", pr.metadata.namespace ?? "default"],
    ["context.pipelineRun.uid", pr.metadata.uid ?? ""],
  ]);
}

/**
 * Params, then context, then `workspaces.<w>.bound`, as the reconciler applies them once per
 * reconcile. Params propagate into embedded task specs; pipeline results also get params.
 */
export function applyPipelineRun(spec: PipelineSpec, pr: PipelineRun, pipelineName: string): PipelineSpec {
  const params = paramReplacements(pipelineParamValues(spec, pr));
  let out = replaceTasks(spec, params, true);
  if (out.results) {
    out.results = out.results.map((res) => ({ ...res, value: replaceParamValue(res.value, params) }));
  }
  const ctx = emptyReplacements();
  for (const [k, v] of contextReplacements(pipelineName, pr)) ctx.strings.set(k, v);
  out = replaceTasks(out, ctx, true);
  const bound = emptyReplacements();
  for (const w of spec.workspaces ?? []) bound.strings.set(`workspaces.${w.name}.bound`, "false");
  for (const w of pr.spec.workspaces ?? []) bound.strings.set(`workspaces.${w.name}.bound`, "true");
  return replaceTasks(out, bound, false);
}
