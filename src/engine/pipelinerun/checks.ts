/**
 * The checks Tekton makes before a PipelineRun's first child (`pipelinerun.go` reconcile,
 * `validate_params.go`, `validate_dependencies.go`), each giving the reason and message of the
 * failure it reports.
 */
import { PipelineRunReason } from "../../api/reasons.js";
import type { ParamSpec, ParamValue } from "../../api/types.js";
import { USER_ERROR_PREFIX } from "../../api/reasons.js";
import { pipelineTaskResultRefs as taskResultRefs } from "../../api/result-refs.js";
import type { Facts } from "./facts.js";
import type { PipelineRun, PipelineSpec } from "../../api/pipeline-types.js";

export interface Failure {
  reason: string;
  message: string;
}

const goList = (xs: readonly string[]): string => `[${xs.join(" ")}]`;

function typeOfValue(v: ParamValue): string {
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? "object" : "string";
}

function declaredType(p: ParamSpec): string {
  if (p.type !== undefined) return p.type;
  if (p.properties !== undefined) return "object";
  return p.default !== undefined ? typeOfValue(p.default) : "string";
}

/** Params, workspaces and taskRunSpecs of the PipelineRun against the Pipeline. */
export function checkInputs(pr: PipelineRun, spec: PipelineSpec, pipelineName: string): Failure | undefined {
  const ns = pr.metadata.namespace ?? "default";
  const name = pr.metadata.name ?? "";
  const given = pr.spec.params ?? [];
  const provided = new Set(given.map((p) => p.name));
  const missing = (spec.params ?? [])
    .filter((p) => p.default === undefined && !provided.has(p.name))
    .map((p) => p.name);
  if (missing.length > 0)
    return {
      reason: PipelineRunReason.ParameterMissing,
      message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name} is missing some parameters required by Pipeline ${ns}/${pipelineName}: pipelineRun missing parameters: ${goList(missing)}`,
    };
  const types = new Map((spec.params ?? []).map((p) => [p.name, declaredType(p)]));
  const wrong = given
    .filter((p) => types.has(p.name) && types.get(p.name) !== typeOfValue(p.value))
    .map((p) => p.name);
  if (wrong.length > 0)
    return {
      reason: PipelineRunReason.ParameterTypeMismatch,
      message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name} parameters have mismatching types with Pipeline ${ns}/${pipelineName}'s parameters: parameters have inconsistent types : ${goList(wrong)}`,
    };
  const missingKeys: string[] = [];
  for (const p of spec.params ?? []) {
    if (declaredType(p) !== "object" || p.properties === undefined) continue;
    const v = given.find((g) => g.name === p.name)?.value;
    if (v === undefined || typeof v !== "object" || Array.isArray(v)) continue;
    const dflt =
      p.default !== undefined && typeof p.default === "object" && !Array.isArray(p.default) ? p.default : {};
    const keys = Object.keys(p.properties).filter((k) => !(k in v) && !(k in dflt));
    if (keys.length > 0) missingKeys.push(`${p.name}:${goList(keys)}`);
  }
  if (missingKeys.length > 0)
    return {
      reason: PipelineRunReason.ObjectParameterMissKeys,
      message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name} parameters is missing object keys required by Pipeline ${ns}/${pipelineName}'s parameters: pipelineRun missing object keys for parameters: map[${missingKeys.join(" ")}]`,
    };
  const bound = new Set((pr.spec.workspaces ?? []).map((w) => w.name));
  for (const w of spec.workspaces ?? []) {
    if (w.optional || bound.has(w.name)) continue;
    return {
      reason: PipelineRunReason.InvalidWorkspaceBinding,
      message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name} doesn't bind Pipeline ${ns}/${pipelineName}'s Workspaces correctly: pipeline requires workspace with name ${JSON.stringify(w.name)} be provided by pipelinerun`,
    };
  }
  const taskNames = new Set([...(spec.tasks ?? []), ...(spec.finally ?? [])].map((t) => t.name));
  for (const s of pr.spec.taskRunSpecs ?? []) {
    const taskName = s.pipelineTaskName ?? "";
    if (taskNames.has(taskName)) continue;
    return {
      reason: PipelineRunReason.InvalidTaskRunSpec,
      message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name} doesn't define taskRunSpecs correctly: pipelineRun's taskrunSpecs defined wrong taskName: ${JSON.stringify(taskName)}, does not exist in Pipeline`,
    };
  }
  return undefined;
}

/** Before the first child: every result reference names a task that declares that result. */
export function checkResultReferences(facts: Facts, spec: PipelineSpec, prName: string): Failure | undefined {
  for (const t of facts.tasks) {
    for (const ref of taskResultRefs(t.pt)) {
      const err = refError(facts, ref.pipelineTask, ref.result);
      if (err !== undefined)
        return {
          reason: PipelineRunReason.InvalidTaskResultReference,
          message: `${USER_ERROR_PREFIX}invalid result reference in pipeline task ${JSON.stringify(t.pt.name)}: ${err}`,
        };
    }
  }
  for (const res of spec.results ?? []) {
    const strings = typeof res.value === "string" ? [res.value] : Object.values(res.value);
    for (const s of strings) {
      for (const m of s.matchAll(/\$\((?:tasks|finally)\.([^.)]+)\.results\.([^.)[\]]+)/g)) {
        const err = refError(facts, m[1] ?? "", m[2] ?? "");
        if (err !== undefined)
          return {
            reason: PipelineRunReason.InvalidPipelineResultReference,
            message: `Failed to resolve pipeline result reference for ${JSON.stringify(prName)} with error invalid pipeline result ${JSON.stringify(res.name)}: ${err}`,
          };
      }
    }
  }
  return undefined;
}

function refError(facts: Facts, task: string, result: string): string | undefined {
  const t = facts.byName.get(task);
  if (t === undefined) return `referenced pipeline task ${JSON.stringify(task)} does not exist`;
  if (t.kind !== "TaskRun") return undefined;
  if (t.spec === undefined)
    return `unable to validate result referencing pipeline task ${JSON.stringify(task)}: task spec not found`;
  if (!(t.spec.results ?? []).some((r) => r.name === result))
    return `${JSON.stringify(result)} is not a named result returned by pipeline task ${JSON.stringify(task)}`;
  return undefined;
}

/** A pipeline workspace marked optional must be optional in every task that uses it. */
export function checkOptionalWorkspaces(facts: Facts, spec: PipelineSpec): Failure | undefined {
  const optional = new Set((spec.workspaces ?? []).filter((w) => w.optional).map((w) => w.name));
  for (const t of facts.tasks) {
    for (const b of t.pt.workspaces ?? []) {
      if (t.spec === undefined || !optional.has(b.workspace ?? "")) continue;
      const decl = (t.spec.workspaces ?? []).find((w) => w.name === b.name);
      if (decl !== undefined && !decl.optional)
        return {
          reason: PipelineRunReason.RequiredWorkspaceMarkedOptional,
          message: `${USER_ERROR_PREFIX}Optional workspace not supported by task: pipeline workspace ${JSON.stringify(b.workspace)} is marked optional but pipeline task ${JSON.stringify(t.pt.name)} requires it be provided`,
        };
    }
  }
  return undefined;
}
