/**
 * Conversion of Task and TaskRun parts from tekton.dev/v1beta1 to v1 (as
 * `pkg/apis/pipeline/v1beta1/task_conversion.go` and `taskrun_conversion.go` do), shared by the
 * conversion of Tasks, TaskRuns and the embedded specs of Pipelines. Pure functions over plain
 * objects, converting in place the copies `convert.ts` hands them.
 */
import type { KubeObject } from "./types.js";
import { coerceParamsInSpec, coerceParamValue } from "./convert-params.js";

/** A v1beta1 object that Tekton would refuse to convert or admit, with Tekton's field-error message. */
export class ConversionError extends Error {
  override readonly name = "ConversionError";
  /** Rendered like knative's FieldError (`must not set the field(s): spec.resources`). */
  readonly paths: string[];
  constructor(message: string, paths: string[] = []) {
    super(message);
    this.paths = paths;
  }
}

export const TEKTON_V1 = "tekton.dev/v1";
export const TEKTON_V1BETA1 = "tekton.dev/v1beta1";
export const TEKTON_V1ALPHA1 = "tekton.dev/v1alpha1";

/** Annotation where Tekton keeps v1beta1-only step fields of a converted Task/TaskRun. */
export const TASK_DEPRECATIONS_ANNOTATION = "tekton.dev/v1beta1.task-deprecations";

/** v1beta1 Step fields that v1 dropped (kept by Tekton in {@link TASK_DEPRECATIONS_ANNOTATION}), in Go field order. */
const DEPRECATED_STEP_FIELDS = [
  "ports",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "stdin",
  "stdinOnce",
  "tty",
] as const;

export function taskV1beta1ToV1(obj: KubeObject): KubeObject {
  obj.apiVersion = TEKTON_V1;
  const spec = obj["spec"];
  if (isRecord(spec)) {
    if (spec["resources"] !== undefined) throw disallowed(["spec.resources"]);
    convertTaskSpec(spec, obj, obj.metadata.name ?? "");
    coerceParamsInSpec(spec);
  }
  delete obj["status"];
  return obj;
}

export function taskRunV1beta1ToV1(obj: KubeObject): KubeObject {
  obj.apiVersion = TEKTON_V1;
  const spec = obj["spec"];
  if (isRecord(spec)) {
    const rejected: string[] = [];
    if (spec["resources"] !== undefined) rejected.push("spec.resources");
    const taskSpec = spec["taskSpec"];
    if (isRecord(taskSpec) && taskSpec["resources"] !== undefined) rejected.push("spec.taskSpec.resources");
    const taskRef = spec["taskRef"];
    if (isRecord(taskRef) && taskRef["bundle"] !== undefined && taskRef["bundle"] !== "") {
      rejected.push("spec.taskRef.bundle");
    }
    if (rejected.length > 0) throw disallowed(rejected);
    if (isRecord(taskRef)) delete taskRef["bundle"];
    if (isRecord(taskSpec)) convertTaskSpec(taskSpec, obj, obj.metadata.name ?? "");
    renameList(spec, "stepOverrides", "stepSpecs");
    renameList(spec, "sidecarOverrides", "sidecarSpecs");
    // Tekton's TaskRunSpec.ConvertTo does not copy managedBy: a v1beta1 managedBy is lost on conversion.
    delete spec["managedBy"];
    coerceTaskRunSpec(spec);
  }
  delete obj["status"];
  return obj;
}

/** v1beta1 TaskSpec → v1 TaskSpec, in place. */
export function convertTaskSpec(spec: Record<string, unknown>, owner: KubeObject, taskName: string): void {
  stashDeprecations(spec, owner, taskName);
  const steps = spec["steps"];
  if (Array.isArray(steps)) {
    for (const step of steps) {
      if (!isRecord(step)) continue;
      for (const field of DEPRECATED_STEP_FIELDS) delete step[field];
      renameResources(step);
    }
  }
  const template = spec["stepTemplate"];
  if (isRecord(template)) {
    for (const field of DEPRECATED_STEP_FIELDS) delete template[field];
    delete template["name"];
    renameResources(template);
  }
  const sidecars = spec["sidecars"];
  if (Array.isArray(sidecars))
    for (const sidecar of sidecars) if (isRecord(sidecar)) renameResources(sidecar);
  const params = spec["params"];
  if (Array.isArray(params)) for (const p of params) if (isRecord(p)) inferParamType(p);
}

/**
 * v1beta1 defaulting runs before conversion in Tekton, so a param without `type` has its type inferred
 * (`ParamSpec.SetDefaults`) before `ParamSpec.convertTo` would otherwise set "string".
 */
export function inferParamType(p: Record<string, unknown>): void {
  if (typeof p["type"] === "string" && p["type"] !== "") return;
  const dflt = p["default"];
  if (p["properties"] !== undefined && p["properties"] !== null) p["type"] = "object";
  else if (dflt === undefined || dflt === null) p["type"] = "string";
  else if (Array.isArray(dflt) && dflt.every((v) => typeof v === "string" || v === null)) p["type"] = "array";
  else if (isRecord(dflt) && Object.values(dflt).every((v) => typeof v === "string" || v === null))
    p["type"] = "object";
  else p["type"] = "string";
}

/** Moves v1beta1-only step/stepTemplate fields into the deprecations annotation, as Tekton does. */
function stashDeprecations(spec: Record<string, unknown>, owner: KubeObject, taskName: string): void {
  const steps = Array.isArray(spec["steps"]) ? spec["steps"] : [];
  const template = isRecord(spec["stepTemplate"]) ? spec["stepTemplate"] : undefined;
  const has = (c: Record<string, unknown>) => DEPRECATED_STEP_FIELDS.some((f) => isSet(c[f]));
  const stepHas = steps.some((s) => isRecord(s) && has(s));
  const templateHas = template !== undefined && (has(template) || isSet(template["name"]));
  if (!stepHas && !templateHas) return;
  const pick = (c: Record<string, unknown>, withName: boolean): Record<string, unknown> => {
    // Go marshals Step{name (no omitempty), …, ports, …, resources (a struct: never omitted), …}.
    const out: Record<string, unknown> = {};
    if (withName) out["name"] = "";
    else if (isSet(c["name"])) out["name"] = c["name"];
    if (isSet(c["ports"])) out["ports"] = c["ports"];
    out["resources"] = {};
    for (const f of DEPRECATED_STEP_FIELDS.slice(1)) if (isSet(c[f])) out[f] = c[f];
    return out;
  };
  const entry: Record<string, unknown> = {
    deprecatedSteps: steps.map((s) => (isRecord(s) ? pick(s, true) : { name: "", resources: {} })),
  };
  if (template !== undefined) entry["deprecatedStepTemplate"] = pick(template, false);
  const annotations = (owner.metadata.annotations ??= {});
  let existing: Record<string, unknown> = {};
  const previous = annotations[TASK_DEPRECATIONS_ANNOTATION];
  if (previous !== undefined) {
    try {
      const parsed: unknown = JSON.parse(previous);
      if (isRecord(parsed)) existing = parsed;
    } catch (err) {
      throw new ConversionError(
        `error serializing key ${TASK_DEPRECATIONS_ANNOTATION} from metadata: ${(err as Error).message}`,
      );
    }
  }
  existing[taskName] = entry;
  // A Go map: keys sorted; the values are structs, marshalled in field order.
  const keys = Object.keys(existing).sort();
  annotations[TASK_DEPRECATIONS_ANNOTATION] =
    `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(existing[k])}`).join(",")}}`;
}

function renameResources(container: Record<string, unknown>): void {
  if (container["resources"] === undefined) return;
  container["computeResources"] = container["resources"];
  delete container["resources"];
}

export function renameList(spec: Record<string, unknown>, from: string, to: string): void {
  const list = spec[from];
  delete spec[from];
  if (!Array.isArray(list)) return;
  spec[to] = list.map((o: unknown) => {
    if (!isRecord(o)) return o;
    const { resources, ...rest } = o;
    return resources === undefined ? rest : { ...rest, computeResources: resources };
  });
}

export function coerceTaskRunSpec(spec: Record<string, unknown>): void {
  coerceParamList(spec["params"]);
  const taskRef = spec["taskRef"];
  if (isRecord(taskRef)) coerceParamList(taskRef["params"]);
  const taskSpec = spec["taskSpec"];
  if (isRecord(taskSpec)) coerceParamsInSpec(taskSpec);
}

export function coerceStepActionParams(obj: KubeObject): void {
  const spec = obj["spec"];
  if (!isRecord(spec)) return;
  const params = spec["params"];
  if (!Array.isArray(params)) return;
  for (const p of params) {
    if (!isRecord(p) || !("default" in p)) continue;
    if (p["default"] === null) delete p["default"];
    else p["default"] = coerceParamValue(p["default"]);
  }
}

export function coerceParamList(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const p of list) if (isRecord(p) && "value" in p) p["value"] = coerceParamValue(p["value"]);
}

export function disallowed(paths: string[]): ConversionError {
  const sorted = [...paths].sort();
  return new ConversionError(`must not set the field(s): ${sorted.join(", ")}`, sorted);
}

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "") return false;
  return !(Array.isArray(v) && v.length === 0);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
