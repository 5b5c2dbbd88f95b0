/**
 * Conversion of Pipelines and PipelineRuns from tekton.dev/v1beta1 to v1, as
 * `pkg/apis/pipeline/v1beta1/pipeline_conversion.go` and `pipelinerun_conversion.go` do:
 * embedded task specs convert like Tasks (deprecated step fields kept in the owner's
 * `tekton.dev/v1beta1.task-deprecations` annotation, keyed by pipeline task name); a PipelineRun's
 * `timeout` becomes `timeouts.pipeline`, `serviceAccountName`/`podTemplate` become
 * `taskRunTemplate`, `taskRunSpecs[].taskServiceAccountName`/`taskPodTemplate`/`stepOverrides`/
 * `sidecarOverrides` become `serviceAccountName`/`podTemplate`/`stepSpecs`/`sidecarSpecs`;
 * `managedBy` and the status are not carried over. v1beta1's own admission rejects
 * `resources`, `bundle` references and `timeout` together with `timeouts`, so they are
 * rejected here with its messages.
 *
 * The removed v1beta1 `serviceAccountNames` (`[{taskName, serviceAccountName}]`) is carried over
 * as `taskRunSpecs` entries, as Tekton's conversion did while the field existed.
 *
 * Every param value is decoded as Tekton's `ParamValue.UnmarshalJSON` does (see `convert-params.ts`).
 */
import { coerceParamsInSpec, coerceParamValue } from "./convert-params.js";
import {
  TEKTON_V1,
  coerceParamList,
  convertTaskSpec,
  disallowed,
  inferParamType,
  isRecord,
  renameList,
} from "./convert-task.js";
import type { KubeObject } from "./types.js";

function records(list: unknown): Record<string, unknown>[] {
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** Paths of the v1beta1 fields Tekton's admission refuses in a PipelineSpec. */
function rejectedInPipelineSpec(spec: Record<string, unknown>, at: string): string[] {
  const out: string[] = [];
  if (Array.isArray(spec["resources"]) && spec["resources"].length > 0) out.push(`${at}.resources`);
  for (const section of ["tasks", "finally"] as const) {
    const tasks = spec[section];
    if (!Array.isArray(tasks)) continue;
    tasks.forEach((t: unknown, i) => {
      if (!isRecord(t)) return;
      const path = `${at}.${section}[${i}]`;
      if (t["resources"] !== undefined && t["resources"] !== null) out.push(`${path}.resources`);
      const ref = t["taskRef"];
      if (isRecord(ref) && typeof ref["bundle"] === "string" && ref["bundle"] !== "")
        out.push(`${path}.taskRef.bundle`);
      const taskSpec = t["taskSpec"];
      if (isRecord(taskSpec) && taskSpec["resources"] !== undefined) out.push(`${path}.taskSpec.resources`);
      const nested = t["pipelineSpec"];
      if (isRecord(nested)) out.push(...rejectedInPipelineSpec(nested, `${path}.pipelineSpec`));
    });
  }
  return out;
}

/** Coerces every param value of a v1 PipelineSpec in place. */
export function coercePipelineSpec(spec: Record<string, unknown>): void {
  for (const p of records(spec["params"])) {
    if (!("default" in p)) continue;
    if (p["default"] === null) delete p["default"];
    else p["default"] = coerceParamValue(p["default"]);
  }
  for (const r of records(spec["results"])) if ("value" in r) r["value"] = coerceParamValue(r["value"]);
  for (const t of [...records(spec["tasks"]), ...records(spec["finally"])]) coercePipelineTask(t);
}

function coercePipelineTask(t: Record<string, unknown>): void {
  coerceParamList(t["params"]);
  const matrix = t["matrix"];
  if (isRecord(matrix)) {
    coerceParamList(matrix["params"]);
    for (const inc of records(matrix["include"])) coerceParamList(inc["params"]);
  }
  for (const refField of ["taskRef", "pipelineRef"]) {
    const ref = t[refField];
    if (isRecord(ref)) coerceParamList(ref["params"]);
  }
  const taskSpec = t["taskSpec"];
  if (isRecord(taskSpec)) coerceParamsInSpec(taskSpec);
  const pipelineSpec = t["pipelineSpec"];
  if (isRecord(pipelineSpec)) coercePipelineSpec(pipelineSpec);
}

/** Coerces every param value of a v1 PipelineRunSpec in place. */
export function coercePipelineRunSpec(spec: Record<string, unknown>): void {
  coerceParamList(spec["params"]);
  const ref = spec["pipelineRef"];
  if (isRecord(ref)) coerceParamList(ref["params"]);
  const ps = spec["pipelineSpec"];
  if (isRecord(ps)) coercePipelineSpec(ps);
}

/** v1beta1 PipelineSpec → v1, in place (`PipelineSpec.ConvertTo`). */
function convertPipelineSpec(spec: Record<string, unknown>, owner: KubeObject): void {
  delete spec["resources"];
  for (const p of records(spec["params"])) inferParamType(p);
  for (const t of [...records(spec["tasks"]), ...records(spec["finally"])]) {
    delete t["resources"];
    const ref = t["taskRef"];
    if (isRecord(ref)) delete ref["bundle"];
    const taskSpec = t["taskSpec"];
    if (isRecord(taskSpec)) convertTaskSpec(taskSpec, owner, typeof t["name"] === "string" ? t["name"] : "");
    const nested = t["pipelineSpec"];
    if (isRecord(nested)) convertPipelineSpec(nested, owner);
  }
}

/** A v1beta1 Pipeline as v1. @throws ConversionError for fields v1beta1 admission refuses. */
export function pipelineV1beta1ToV1(obj: KubeObject): KubeObject {
  obj.apiVersion = TEKTON_V1;
  const spec = obj["spec"];
  if (isRecord(spec)) {
    const rejected = rejectedInPipelineSpec(spec, "spec");
    if (rejected.length > 0) throw disallowed(rejected);
    convertPipelineSpec(spec, obj);
    coercePipelineSpec(spec);
  }
  delete obj["status"];
  return obj;
}

function convertTaskRunSpecs(spec: Record<string, unknown>): void {
  const specs = records(spec["taskRunSpecs"]).map((trs) => {
    const out: Record<string, unknown> = { ...trs };
    delete out["taskServiceAccountName"];
    delete out["taskPodTemplate"];
    if (trs["taskServiceAccountName"] !== undefined)
      out["serviceAccountName"] = trs["taskServiceAccountName"];
    if (trs["taskPodTemplate"] !== undefined) out["podTemplate"] = trs["taskPodTemplate"];
    renameList(out, "stepOverrides", "stepSpecs");
    renameList(out, "sidecarOverrides", "sidecarSpecs");
    return out;
  });
  for (const sa of records(spec["serviceAccountNames"])) {
    if (typeof sa["taskName"] !== "string") continue;
    specs.push({ pipelineTaskName: sa["taskName"], serviceAccountName: sa["serviceAccountName"] });
  }
  delete spec["serviceAccountNames"];
  if (specs.length > 0) spec["taskRunSpecs"] = specs;
  else delete spec["taskRunSpecs"];
}

/** A v1beta1 PipelineRun as v1. @throws ConversionError for fields v1beta1 admission refuses. */
export function pipelineRunV1beta1ToV1(obj: KubeObject): KubeObject {
  obj.apiVersion = TEKTON_V1;
  const spec = obj["spec"];
  if (isRecord(spec)) {
    const rejected: string[] = [];
    if (spec["resources"] !== undefined && spec["resources"] !== null) rejected.push("spec.resources");
    const ref = spec["pipelineRef"];
    if (isRecord(ref) && typeof ref["bundle"] === "string" && ref["bundle"] !== "")
      rejected.push("spec.pipelineRef.bundle");
    const ps = spec["pipelineSpec"];
    if (isRecord(ps)) rejected.push(...rejectedInPipelineSpec(ps, "spec.pipelineSpec"));
    if (spec["timeout"] != null && spec["timeouts"] != null) rejected.push("spec.timeout", "spec.timeouts");
    if (rejected.length > 0) throw disallowed(rejected);
    if (isRecord(ref)) delete ref["bundle"];
    if (isRecord(ps)) convertPipelineSpec(ps, obj);
    if (spec["timeout"] != null) spec["timeouts"] = { pipeline: spec["timeout"] };
    delete spec["timeout"];
    const template: Record<string, unknown> = {};
    if (spec["podTemplate"] != null) template["podTemplate"] = spec["podTemplate"];
    if (typeof spec["serviceAccountName"] === "string" && spec["serviceAccountName"] !== "")
      template["serviceAccountName"] = spec["serviceAccountName"];
    delete spec["podTemplate"];
    delete spec["serviceAccountName"];
    if (Object.keys(template).length > 0) spec["taskRunTemplate"] = template;
    convertTaskRunSpecs(spec);
    // PipelineRunSpec.ConvertTo does not copy managedBy.
    delete spec["managedBy"];
    coercePipelineRunSpec(spec);
  }
  delete obj["status"];
  return obj;
}
