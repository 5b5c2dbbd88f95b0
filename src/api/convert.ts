/**
 * Conversion to the version tektite stores: tekton.dev/v1beta1 Task, TaskRun, Pipeline and
 * PipelineRun become tekton.dev/v1 (as `pkg/apis/pipeline/v1beta1/*_conversion.go` does; see
 * `convert-task.ts` and `convert-pipeline.ts`), StepAction v1alpha1 becomes v1beta1 (same shape),
 * CustomRun (v1beta1) and Run (v1alpha1) keep their own shapes.
 *
 * Every param value and default in these kinds is decoded the way
 * Tekton's `ParamValue.UnmarshalJSON` decodes it, so YAML scalars become strings (`true` → "true",
 * `1` → "1") and arrays/objects that are not all strings become their JSON text.
 *
 * Pure functions over plain objects; the input is never modified.
 */
import type { ConfigMap, KubeObject, Secret } from "./types.js";
import { coerceParamsInSpec } from "./convert-params.js";
import {
  coercePipelineRunSpec,
  coercePipelineSpec,
  pipelineRunV1beta1ToV1,
  pipelineV1beta1ToV1,
} from "./convert-pipeline.js";
import {
  ConversionError,
  TEKTON_V1,
  TEKTON_V1ALPHA1,
  TEKTON_V1BETA1,
  coerceParamList,
  coerceStepActionParams,
  coerceTaskRunSpec,
  isRecord,
  taskRunV1beta1ToV1,
  taskV1beta1ToV1,
} from "./convert-task.js";

export { ConversionError, TASK_DEPRECATIONS_ANNOTATION } from "./convert-task.js";

/**
 * Converts an object to the version tektite stores, as Tekton's conversion webhook would.
 * Objects of other kinds are returned as deep copies.
 * @throws ConversionError for v1beta1 fields Tekton rejects at admission (`resources`, `bundle` refs).
 */
export function convertToV1(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  const { apiVersion, kind } = copy;
  if (apiVersion === TEKTON_V1BETA1 && kind === "Task") return taskV1beta1ToV1(copy);
  if (apiVersion === TEKTON_V1BETA1 && kind === "TaskRun") return taskRunV1beta1ToV1(copy);
  if (apiVersion === TEKTON_V1BETA1 && kind === "Pipeline") return pipelineV1beta1ToV1(copy);
  if (apiVersion === TEKTON_V1BETA1 && kind === "PipelineRun") return pipelineRunV1beta1ToV1(copy);
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
  if (apiVersion === TEKTON_V1 && kind === "Pipeline") {
    if (isRecord(copy["spec"])) coercePipelineSpec(copy["spec"]);
    return copy;
  }
  if (apiVersion === TEKTON_V1 && kind === "PipelineRun") {
    if (isRecord(copy["spec"])) coercePipelineRunSpec(copy["spec"]);
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
 * The Secret as the API server stores it: `stringData` merged into `data` as base64 (a key in
 * both takes the `stringData` value) and dropped, so what is stored and served has `data` only.
 * @throws ConversionError when a `stringData` value is not a string.
 */
export function secretForStorage(secret: KubeObject): KubeObject {
  if (secret["stringData"] === undefined) return secret;
  const label = `Secret "${secret.metadata.name ?? ""}"`;
  const data: Record<string, string> = isRecord(secret["data"])
    ? { ...(secret["data"] as Record<string, string>) }
    : {};
  for (const [key, value] of entries(secret["stringData"], `${label}: stringData`))
    data[key] = Buffer.from(value, "utf8").toString("base64");
  const { stringData: _dropped, ...rest } = secret;
  return { ...rest, data } as KubeObject;
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
