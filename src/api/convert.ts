/**
 * Conversion to the version tektite stores: tekton.dev/v1beta1 Task and TaskRun become tekton.dev/v1
 * (as `pkg/apis/pipeline/v1beta1/*_conversion.go` does), StepAction v1alpha1 becomes v1beta1 (same shape),
 * CustomRun (v1beta1) and Run (v1alpha1) keep their own shapes.
 *
 * Every param value and default in Task, TaskRun, StepAction, CustomRun and Run is decoded the way
 * Tekton's `ParamValue.UnmarshalJSON` decodes it, so YAML scalars become strings (`true` → "true",
 * `1` → "1") and arrays/objects that are not all strings become their JSON text.
 *
 * Pure functions over plain objects; the input is never modified.
 */
import type { ConfigMap, KubeObject, Secret } from "./types.js";
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

const TEKTON_V1 = "tekton.dev/v1";
const TEKTON_V1BETA1 = "tekton.dev/v1beta1";
const TEKTON_V1ALPHA1 = "tekton.dev/v1alpha1";

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

/**
 * Converts an object to the version tektite stores, as Tekton's conversion webhook would.
 * Objects of other kinds are returned as deep copies.
 * @throws ConversionError for v1beta1 fields Tekton rejects at admission (`resources`, `taskRef.bundle`).
 */
export function convertToV1(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  const { apiVersion, kind } = copy;
  if (apiVersion === TEKTON_V1BETA1 && kind === "Task") return taskV1beta1ToV1(copy);
  if (apiVersion === TEKTON_V1BETA1 && kind === "TaskRun") return taskRunV1beta1ToV1(copy);
  if (apiVersion === TEKTON_V1ALPHA1 && kind === "StepAction") {
    copy.apiVersion = TEKTON_V1BETA1;
    coerceStepActionParams(copy);
    return copy;
  }
  if (apiVersion === TEKTON_V1BETA1 && kind === "StepAction") {
    coerceStepActionParams(copy);
    return copy;
  }
  if (apiVersion === TEKTON_V1 && kind === "Task") {
    if (isRecord(copy["spec"])) coerceParamsInSpec(copy["spec"]);
    return copy;
  }
  if (apiVersion === TEKTON_V1 && kind === "TaskRun") {
    if (isRecord(copy["spec"])) coerceTaskRunSpec(copy["spec"]);
    return copy;
  }
  if (
    (apiVersion === TEKTON_V1BETA1 && kind === "CustomRun") ||
    (apiVersion === TEKTON_V1ALPHA1 && kind === "Run")
  ) {
    const spec = copy["spec"];
    if (isRecord(spec)) {
      coerceParamList(spec["params"]);
      const ref = spec[kind === "Run" ? "ref" : "customRef"];
      if (isRecord(ref)) coerceParamList(ref["params"]);
    }
    return copy;
  }
  return copy;
}

function taskV1beta1ToV1(obj: KubeObject): KubeObject {
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

function taskRunV1beta1ToV1(obj: KubeObject): KubeObject {
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
function convertTaskSpec(spec: Record<string, unknown>, owner: KubeObject, taskName: string): void {
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
function inferParamType(p: Record<string, unknown>): void {
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

function renameList(spec: Record<string, unknown>, from: string, to: string): void {
  const list = spec[from];
  delete spec[from];
  if (!Array.isArray(list)) return;
  spec[to] = list.map((o: unknown) => {
    if (!isRecord(o)) return o;
    const { resources, ...rest } = o;
    return resources === undefined ? rest : { ...rest, computeResources: resources };
  });
}

function coerceTaskRunSpec(spec: Record<string, unknown>): void {
  coerceParamList(spec["params"]);
  const taskRef = spec["taskRef"];
  if (isRecord(taskRef)) coerceParamList(taskRef["params"]);
  const taskSpec = spec["taskSpec"];
  if (isRecord(taskSpec)) coerceParamsInSpec(taskSpec);
}

function coerceStepActionParams(obj: KubeObject): void {
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

function coerceParamList(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const p of list) if (isRecord(p) && "value" in p) p["value"] = coerceParamValue(p["value"]);
}

/**
 * A Secret's values as text: `data` (base64, decoded as UTF-8) merged with `stringData`, which wins,
 * as the API server merges them on write.
 * @throws ConversionError when a value is not a string or `data` holds invalid base64.
 */
export function secretStringValues(secret: Secret | KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const label = `Secret "${secret.metadata.name ?? ""}"`;
  for (const [key, value] of entries(secret["data"], `${label}: data`))
    out[key] = decodeBase64(value, `${label}: data.${key}`);
  for (const [key, value] of entries(secret["stringData"], `${label}: stringData`)) out[key] = value;
  return out;
}

/**
 * A ConfigMap's values as text: `data` plus `binaryData` (base64, decoded as UTF-8).
 * @throws ConversionError when a value is not a string, `binaryData` holds invalid base64,
 *   or a key is in both (the API server rejects that too).
 */
export function configMapValues(cm: ConfigMap | KubeObject): Record<string, string> {
  const label = `ConfigMap "${cm.metadata.name ?? ""}"`;
  const out: Record<string, string> = {};
  for (const [key, value] of entries(cm["data"], `${label}: data`)) out[key] = value;
  for (const [key, value] of entries(cm["binaryData"], `${label}: binaryData`)) {
    if (key in out)
      throw new ConversionError(`${label}: duplicate of key present in data: binaryData.${key}`);
    out[key] = decodeBase64(value, `${label}: binaryData.${key}`);
  }
  return out;
}

function entries(map: unknown, where: string): Array<[string, string]> {
  if (map === undefined || map === null) return [];
  if (!isRecord(map)) throw new ConversionError(`${where}: must be a mapping of strings`);
  return Object.entries(map).map(([k, v]) => {
    if (typeof v !== "string") {
      throw new ConversionError(
        `${where}.${k}: must be a string, got ${v === null ? "null" : typeof v} (quote it in YAML)`,
      );
    }
    return [k, v];
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: string, where: string): string {
  // Go's base64.StdEncoding (used by encoding/json for []byte) ignores CR and LF.
  const compact = value.replace(/[\r\n]/g, "");
  if (!BASE64.test(compact)) throw new ConversionError(`${where}: illegal base64 data`);
  return Buffer.from(compact, "base64").toString("utf8");
}

function disallowed(paths: string[]): ConversionError {
  const sorted = [...paths].sort();
  return new ConversionError(`must not set the field(s): ${sorted.join(", ")}`, sorted);
}

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "") return false;
  return !(Array.isArray(v) && v.length === 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
