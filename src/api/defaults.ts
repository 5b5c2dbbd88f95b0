/**
 * Admission-time defaulting (Tekton's `SetDefaults`) for Task, TaskRun, Pipeline, PipelineRun,
 * StepAction, CustomRun and Run. Pure: every function returns a new object and leaves its input untouched. Values that
 * cannot be decoded (a malformed duration) are left as they are for validation to report.
 */
import type { ConfigDefaults } from "../config/features.js";
import { DurationError, formatGoDuration, normalizeGoDuration } from "./duration.js";
import type { PipelineRunSpec, PipelineSpec, PipelineTask, PipelineTaskRunSpec } from "./pipeline-types.js";
import type {
  KubeObject,
  ParamSpec,
  ParamValue,
  PropertySpec,
  Step,
  StepResult,
  TaskResult,
  TaskRunSpec,
  TaskSpec,
} from "./types.js";

/** Label Tekton puts on every TaskRun it manages. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/** Annotations Tekton drops from a TaskRun on create (`TektonReservedAnnotationExpr`). */
export const RESERVED_ANNOTATION = /(chains.tekton.dev)\/.*/;

/** Options for {@link applyDefaults}. */
export interface DefaultsOptions {
  /**
   * The object is being created: drop a user-supplied `status` and, for TaskRuns and
   * PipelineRuns, reserved `chains.tekton.dev/` annotations.
   */
  create?: boolean;
}

function normalizeDuration(value: string): string {
  try {
    return normalizeGoDuration(value);
  } catch (err) {
    if (err instanceof DurationError) return value;
    throw err;
  }
}

function valueType(v: ParamValue | undefined): "string" | "array" | "object" {
  if (Array.isArray(v)) return "array";
  if (v !== null && typeof v === "object") return "object";
  return "string";
}

function defaultProperties(props: Record<string, PropertySpec>): Record<string, PropertySpec> {
  const out: Record<string, PropertySpec> = {};
  for (const [k, v] of Object.entries(props))
    out[k] = (v?.type ?? "") === "" ? { ...v, type: "string" } : { ...v };
  return out;
}

/**
 * `ParamSpec.SetDefaults`: explicit type kept; else `object` when properties are given; else
 * `string` without a default; else the default's type. Property types default to `string`.
 */
export function defaultParamSpec(p: ParamSpec): ParamSpec {
  const out: ParamSpec = { ...p };
  if ((p.type ?? "") !== "") {
    if (p.properties !== undefined) out.properties = defaultProperties(p.properties);
  } else if (p.properties !== undefined) {
    out.type = "object";
    out.properties = defaultProperties(p.properties);
  } else if (p.default === undefined) {
    out.type = "string";
  } else {
    out.type = valueType(p.default);
  }
  return out;
}

/** `TaskResult.SetDefaults` / `StepResult.SetDefaults`: type `string`, or `object` with properties. */
export function defaultResult<T extends TaskResult | StepResult>(r: T): T {
  const out: T = { ...r };
  if ((r.type ?? "") === "") out.type = r.properties !== undefined ? "object" : "string";
  if (r.properties !== undefined) out.properties = defaultProperties(r.properties);
  return out;
}

function defaultStep(s: Step): Step {
  return typeof s.timeout === "string" ? { ...s, timeout: normalizeDuration(s.timeout) } : s;
}

/** `TaskSpec.SetDefaults`: param and result types; step timeouts in Go's canonical form. */
export function defaultTaskSpec(ts: TaskSpec): TaskSpec {
  const out: TaskSpec = { ...ts };
  if (ts.params !== undefined) out.params = ts.params.map(defaultParamSpec);
  if (ts.results !== undefined) out.results = ts.results.map(defaultResult);
  if (ts.steps !== undefined) out.steps = ts.steps.map(defaultStep);
  return out;
}

function defaultTaskRunSpec(spec: TaskRunSpec, cfg: ConfigDefaults): TaskRunSpec {
  const out: TaskRunSpec = { ...spec };
  if (spec.taskRef !== undefined && spec.taskRef !== null) {
    out.taskRef = { ...spec.taskRef };
    if ((out.taskRef.kind ?? "") === "" && (out.taskRef.resolver ?? "") === "") out.taskRef.kind = "Task";
  }
  out.timeout =
    typeof spec.timeout === "string"
      ? normalizeDuration(spec.timeout)
      : spec.timeout === undefined || spec.timeout === null
        ? formatGoDuration(BigInt(cfg.defaultTimeoutMinutes) * 60_000_000_000n)
        : spec.timeout;
  if ((spec.serviceAccountName ?? "") === "" && cfg.defaultServiceAccount !== "") {
    out.serviceAccountName = cfg.defaultServiceAccount;
  }
  if (spec.taskSpec !== undefined && spec.taskSpec !== null) out.taskSpec = defaultTaskSpec(spec.taskSpec);
  return out;
}

/** `PipelineTask.SetDefaults`: a taskRef without resolver names a namespaced Task; embedded specs defaulted. */
function defaultPipelineTask(pt: PipelineTask): PipelineTask {
  const out: PipelineTask = { ...pt };
  if (pt.taskRef !== undefined && pt.taskRef !== null) {
    out.taskRef = { ...pt.taskRef };
    if ((out.taskRef.kind ?? "") === "" && (out.taskRef.resolver ?? "") === "") out.taskRef.kind = "Task";
  }
  if (pt.taskSpec !== undefined && pt.taskSpec !== null) out.taskSpec = defaultTaskSpec(pt.taskSpec);
  if (typeof pt.timeout === "string") out.timeout = normalizeDuration(pt.timeout);
  return out;
}

/** `PipelineSpec.SetDefaults`: param types, then every task and finally task. */
export function defaultPipelineSpec(ps: PipelineSpec): PipelineSpec {
  const out: PipelineSpec = { ...ps };
  if (Array.isArray(ps.params)) out.params = ps.params.map(defaultParamSpec);
  if (Array.isArray(ps.tasks)) out.tasks = ps.tasks.map(defaultPipelineTask);
  if (Array.isArray(ps.finally)) out.finally = ps.finally.map(defaultPipelineTask);
  return out;
}

/**
 * `PipelineRunSpec.SetDefaults`: `timeouts.pipeline` from `default-timeout-minutes`, the default
 * service account in `taskRunTemplate`, the embedded spec defaulted; durations in Go's canonical form.
 */
function defaultPipelineRunSpec(spec: PipelineRunSpec, cfg: ConfigDefaults): PipelineRunSpec {
  const out: PipelineRunSpec = { ...spec };
  const timeouts = { ...(spec.timeouts ?? {}) };
  for (const k of ["pipeline", "tasks", "finally"] as const) {
    const v = timeouts[k];
    if (typeof v === "string") timeouts[k] = normalizeDuration(v);
  }
  if (timeouts.pipeline === undefined || timeouts.pipeline === null) {
    timeouts.pipeline = formatGoDuration(BigInt(cfg.defaultTimeoutMinutes) * 60_000_000_000n);
  }
  out.timeouts = timeouts;
  const template = { ...(spec.taskRunTemplate ?? {}) };
  if ((template.serviceAccountName ?? "") === "" && cfg.defaultServiceAccount !== "") {
    template.serviceAccountName = cfg.defaultServiceAccount;
  }
  out.taskRunTemplate = template;
  if (Array.isArray(spec.taskRunSpecs)) {
    out.taskRunSpecs = spec.taskRunSpecs.map((t: PipelineTaskRunSpec) =>
      typeof t?.timeout === "string" ? { ...t, timeout: normalizeDuration(t.timeout) } : t,
    );
  }
  if (spec.pipelineSpec !== undefined && spec.pipelineSpec !== null) {
    out.pipelineSpec = defaultPipelineSpec(spec.pipelineSpec);
  }
  return out;
}

function withServiceAccount(spec: Record<string, unknown>, cfg: ConfigDefaults): Record<string, unknown> {
  const out = { ...spec };
  if ((out["serviceAccountName"] ?? "") === "" && cfg.defaultServiceAccount !== "") {
    out["serviceAccountName"] = cfg.defaultServiceAccount;
  }
  if (typeof out["timeout"] === "string") out["timeout"] = normalizeDuration(out["timeout"]);
  return out;
}

/** A copy without `status` (users cannot set status on create). */
export function stripStatus<T extends KubeObject>(obj: T): T {
  const out = { ...obj };
  delete out["status"];
  return out;
}

function withoutReservedAnnotations(meta: KubeObject["metadata"]): KubeObject["metadata"] {
  if (meta.annotations === undefined) return meta;
  return {
    ...meta,
    annotations: Object.fromEntries(
      Object.entries(meta.annotations).filter(([k]) => !RESERVED_ANNOTATION.test(k)),
    ),
  };
}

function taskRunMetadata(obj: KubeObject, cfg: ConfigDefaults, create: boolean): KubeObject["metadata"] {
  const meta = { ...(obj.metadata ?? {}) };
  const labels = { ...(meta.labels ?? {}) };
  if (!(MANAGED_BY_LABEL in labels)) labels[MANAGED_BY_LABEL] = cfg.defaultManagedByLabelValue;
  meta.labels = labels;
  return create ? withoutReservedAnnotations(meta) : meta;
}

/**
 * Applies Tekton's admission defaults to a Task, TaskRun, Pipeline, PipelineRun, StepAction,
 * CustomRun or Run
 * (other kinds are copied unchanged apart from `create` status stripping).
 */
export function applyDefaults<T extends KubeObject>(
  obj: T,
  cfg: ConfigDefaults,
  opts: DefaultsOptions = {},
): T {
  const create = opts.create === true;
  const base: KubeObject = structuredClone(create ? stripStatus(obj) : obj);
  const spec = (base["spec"] ?? {}) as Record<string, unknown>;
  switch (base.kind) {
    case "TaskRun":
      base["spec"] = defaultTaskRunSpec(spec as TaskRunSpec, cfg);
      base.metadata = taskRunMetadata(base, cfg, create);
      break;
    case "Task":
      base["spec"] = defaultTaskSpec(spec as TaskSpec);
      break;
    case "Pipeline":
      base["spec"] = defaultPipelineSpec(spec as PipelineSpec);
      break;
    case "PipelineRun":
      base["spec"] = defaultPipelineRunSpec(spec as PipelineRunSpec, cfg);
      if (create) base.metadata = withoutReservedAnnotations({ ...(base.metadata ?? {}) });
      break;
    case "StepAction": {
      const out = { ...spec };
      if (Array.isArray(spec["params"]))
        out["params"] = (spec["params"] as ParamSpec[]).map(defaultParamSpec);
      if (Array.isArray(spec["results"]))
        out["results"] = (spec["results"] as StepResult[]).map(defaultResult);
      base["spec"] = out;
      break;
    }
    case "CustomRun":
    case "Run":
      base["spec"] = withServiceAccount(spec, cfg);
      break;
  }
  return base as T;
}
