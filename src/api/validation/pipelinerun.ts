/**
 * PipelineRun validation for create (`pkg/apis/pipeline/v1/pipelinerun_validation.go`): exactly one
 * of pipelineRef/pipelineSpec, the embedded spec, params (no result references), propagated params
 * of an embedded spec, timeouts (`tasks` and `finally` within `pipeline`), taskRunSpecs,
 * `spec.status`, workspaces and forbidden pod-template env. Update rules live in
 * `pipelinerun-update.ts`.
 */
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { formatGoDuration, parseGoDuration } from "../duration.js";
import {
  PipelineRunSpecStatus,
  type PipelineRun,
  type PipelineRunSpec,
  type PipelineTaskRunSpec,
  type TimeoutFields,
} from "../pipeline-types.js";
import { containsResultRefs, looksLikeResultRef, paramExpressions } from "../result-refs.js";
import type { ParamSpec, PodTemplate } from "../types.js";
import { FieldError, goList, goQuote } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { combine, specFromParam } from "./inline-params.js";
import { validateObjectMetadata } from "./metadata.js";
import { validateParameterVariables, validateUsageOfDeclaredParameters } from "./param-usage.js";
import { validateNoDuplicateNames, validateParameterTypes } from "./params.js";
import { validatePipelineSpec } from "./pipeline.js";
import { validatePipelineParameterVariables, validatePipelineTaskParameterUsage } from "./pipeline-params.js";
import { validateRef } from "./ref.js";
import { hasResources, validateSpecNames } from "./taskrun.js";
import { validateWorkspaceBinding } from "./workspace-binding.js";

/** Duration in nanoseconds, or undefined when unset or malformed (malformed ones fail decoding first). */
function ns(s: string | undefined): bigint | undefined {
  if (typeof s !== "string") return undefined;
  try {
    return parseGoDuration(s);
  } catch {
    return undefined;
  }
}

function validatePipelineRunParameters(spec: PipelineRunSpec): FieldError {
  const params = spec.params ?? [];
  if (params.length === 0) return FieldError.empty();
  let errs = validateNoDuplicateNames(
    params.map((p) => p.name),
    false,
  ).viaField("params");
  for (const p of params) {
    const exprs = paramExpressions(p);
    if (!containsResultRefs(exprs)) continue;
    const refs = exprs.filter(looksLikeResultRef);
    if (refs.length > 0) {
      errs = errs.also(
        FieldError.invalidValue(
          `cannot use result expressions in ${goList(refs)} as PipelineRun parameter values`,
          "value",
        ).viaFieldKey("params", p.name),
      );
    }
  }
  return errs;
}

/** `appendPipelineTaskParams`: task params count as declarations; object keys extend an existing one. */
function appendTaskParams(specs: Map<string, ParamSpec>, params: PipelineRunSpec["params"]): void {
  for (const p of params ?? []) {
    const existing = specs.get(p.name);
    if (existing === undefined) {
      specs.set(p.name, specFromParam(p));
      continue;
    }
    if (p.value !== null && typeof p.value === "object" && !Array.isArray(p.value)) {
      const base = (existing.default ?? {}) as Record<string, string>;
      const props = { ...(existing.properties ?? {}) };
      for (const k of Object.keys(p.value)) props[k] = { type: "string" };
      specs.set(p.name, { ...existing, default: { ...base, ...p.value }, properties: props });
    }
  }
}

/** `validateInlineParameters`: an embedded spec may use params propagated from the run and its tasks. */
function validateInlineParameters(spec: PipelineRunSpec, features: FeatureFlags): FieldError {
  const ps = spec.pipelineSpec;
  if (ps === undefined || ps === null) return FieldError.empty();
  const specs = new Map<string, ParamSpec>();
  for (const p of spec.params ?? []) specs.set(p.name, specFromParam(p));
  let errs = FieldError.empty();
  for (const p of ps.params ?? []) errs = errs.also(combine(p, specs));
  for (const pt of ps.tasks ?? []) {
    appendTaskParams(specs, pt.params);
    for (const p of pt.taskSpec?.params ?? []) errs = errs.also(combine(p, specs));
  }
  const all = [...specs.values()];
  const tasks = ps.tasks ?? [];
  for (const pt of tasks) {
    const steps = pt.taskSpec?.steps;
    if (steps === undefined || steps === null) continue;
    errs = errs
      .also(validateParameterTypes(all))
      .also(validateParameterVariables(steps, all, features))
      .also(validateUsageOfDeclaredParameters(steps, all));
  }
  return errs
    .also(validatePipelineParameterVariables(tasks, all, features))
    .also(validatePipelineTaskParameterUsage(tasks, all));
}

function negativeTimeout(field: string, value: string | undefined): FieldError {
  const d = ns(value);
  if (d === undefined || d >= 0n) return FieldError.empty();
  return FieldError.invalidValue(`${formatGoDuration(d)} should be >= 0`, `timeouts.${field}`);
}

/** `validatePipelineTimeout`: `tasks`, `finally` and their sum within the pipeline's timeout (0: none). */
function validatePipelineTimeout(t: TimeoutFields, timeout: bigint, message: string): FieldError {
  let errs = FieldError.empty();
  const tasks = ns(t.tasks);
  const fin = ns(t.finally);
  for (const [field, d] of [
    ["tasks", tasks],
    ["finally", fin],
  ] as const) {
    if (d === undefined) continue;
    let text = formatGoDuration(d);
    let bad = d > timeout && timeout !== 0n;
    if (d === 0n && timeout !== 0n) {
      bad = true;
      text += " (no timeout)";
    }
    if (bad) errs = errs.also(FieldError.invalidValue(`${text} ${message}`, `timeouts.${field}`));
  }
  if (tasks !== undefined && fin !== undefined && tasks + fin > timeout) {
    const text = `${formatGoDuration(tasks)} + ${formatGoDuration(fin)} ${message}`;
    errs = errs
      .also(FieldError.invalidValue(text, "timeouts.tasks"))
      .also(FieldError.invalidValue(text, "timeouts.finally"));
  }
  return errs;
}

function validateTimeouts(t: TimeoutFields, defaults: ConfigDefaults): FieldError {
  let errs = negativeTimeout("tasks", t.tasks)
    .also(negativeTimeout("finally", t.finally))
    .also(negativeTimeout("pipeline", t.pipeline));
  const pipeline = ns(t.pipeline);
  if (pipeline !== undefined)
    return errs.also(validatePipelineTimeout(t, pipeline, "should be <= pipeline duration"));
  // Tekton compares with the default timeout read as nanoseconds (not minutes); defaulting always
  // sets `timeouts.pipeline` first, so this only matters for objects that were not defaulted.
  errs = errs.also(
    validatePipelineTimeout(
      t,
      BigInt(defaults.defaultTimeoutMinutes),
      "should be <= default timeout duration",
    ),
  );
  return errs;
}

/** `validateTaskRunSpecTimeout`: a task's timeout within `timeouts.tasks`, else `pipeline`, else the default. */
function validateTaskRunSpecTimeout(
  timeout: string | undefined,
  timeouts: TimeoutFields | undefined,
  defaults: ConfigDefaults,
): FieldError {
  const d = ns(timeout);
  if (d === undefined) return FieldError.empty();
  const negative = (v: bigint): FieldError =>
    FieldError.invalidValue(`${formatGoDuration(v)} should be >= 0`, "timeout");
  if (d < 0n) return negative(d);
  const defaultNs = BigInt(defaults.defaultTimeoutMinutes) * 60_000_000_000n;
  let max: bigint;
  let source: string;
  const tasks = ns(timeouts?.tasks);
  const pipeline = ns(timeouts?.pipeline);
  if (timeouts?.tasks != null && tasks !== undefined) {
    if (tasks < 0n) return negative(tasks);
    max = tasks;
    source = "pipeline tasks duration";
  } else if (timeouts?.pipeline != null && pipeline !== undefined) {
    if (pipeline < 0n) return negative(pipeline);
    max = pipeline;
    source = "pipeline duration";
  } else {
    max = defaultNs;
    source = "default pipeline duration";
  }
  if (max !== 0n && d > max) {
    return FieldError.invalidValue(
      `${formatGoDuration(d)} should be <= ${source} ${formatGoDuration(max)}`,
      "timeout",
    );
  }
  return FieldError.empty();
}

function validatePodTemplateEnv(pt: PodTemplate, defaults: ConfigDefaults): FieldError {
  let errs = FieldError.empty();
  if (defaults.defaultForbiddenEnv.length === 0) return errs;
  for (const env of pt.env ?? []) {
    if (defaults.defaultForbiddenEnv.includes(env.name)) {
      errs = errs.also(
        FieldError.invalidValue(`PodTemplate cannot update a forbidden env: ${env.name}`, "PodTemplate.Env"),
      );
    }
  }
  return errs;
}

function validateTaskRunSpec(
  trs: PipelineTaskRunSpec,
  timeouts: TimeoutFields | undefined,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): FieldError {
  let errs = FieldError.empty();
  if (trs.stepSpecs != null) {
    errs = errs
      .also(requireApiFields(features, "stepSpecs", "beta").viaField("stepSpecs"))
      .also(validateSpecNames(trs.stepSpecs).viaField("stepSpecs"));
  }
  if (trs.sidecarSpecs != null) {
    errs = errs
      .also(requireApiFields(features, "sidecarSpecs", "beta").viaField("sidecarSpecs"))
      .also(validateSpecNames(trs.sidecarSpecs).viaField("sidecarSpecs"));
  }
  if (trs.computeResources != null) {
    errs = errs.also(requireApiFields(features, "computeResources", "beta").viaField("computeResources"));
    if ((trs.stepSpecs ?? []).some((s) => hasResources(s.computeResources)))
      errs = errs.also(FieldError.multipleOneOf("stepSpecs.resources", "computeResources"));
  }
  if (trs.podTemplate != null) errs = errs.also(validatePodTemplateEnv(trs.podTemplate, defaults));
  return errs.also(validateTaskRunSpecTimeout(trs.timeout, timeouts, defaults));
}

const SPEC_STATUSES: ReadonlySet<string> = new Set(Object.values(PipelineRunSpecStatus));

function validateSpecStatus(status: string | undefined): FieldError {
  const s = status ?? "";
  if (s === "" || SPEC_STATUSES.has(s)) return FieldError.empty();
  const { Cancelled, CancelledRunFinally, StoppedRunFinally, Pending } = PipelineRunSpecStatus;
  return FieldError.invalidValue(
    `${s} should be ${Cancelled}, ${CancelledRunFinally}, ${StoppedRunFinally} or ${Pending}`,
    "status",
  );
}

/** `PipelineRunSpec.Validate` (create); paths relative to `spec`. */
export function validatePipelineRunSpec(
  spec: PipelineRunSpec,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): FieldError {
  let errs = FieldError.empty();
  const hasRef = spec.pipelineRef != null;
  const hasSpec = spec.pipelineSpec != null;
  if (!hasRef && !hasSpec) errs = errs.also(FieldError.missingOneOf("pipelineRef", "pipelineSpec"));
  if (hasRef && hasSpec) errs = errs.also(FieldError.multipleOneOf("pipelineRef", "pipelineSpec"));
  if (spec.pipelineRef != null)
    errs = errs.also(validateRef(spec.pipelineRef, features).viaField("pipelineRef"));
  if (spec.pipelineSpec != null) {
    if (features.disableInlineSpec.includes("pipelinerun"))
      errs = errs.also(FieldError.disallowedFields("pipelineSpec"));
    errs = errs.also(validatePipelineSpec(spec.pipelineSpec, features).viaField("pipelineSpec"));
  }
  errs = errs.also(validatePipelineRunParameters(spec)).also(validateInlineParameters(spec, features));
  if (spec.timeouts != null) errs = errs.also(validateTimeouts(spec.timeouts, defaults));
  for (const [i, trs] of (spec.taskRunSpecs ?? []).entries())
    errs = errs.also(
      validateTaskRunSpec(trs, spec.timeouts, features, defaults).viaIndex(i).viaField("taskRunSpecs"),
    );
  errs = errs.also(validateSpecStatus(spec.status));
  const seen = new Map<string, number>();
  for (const [i, ws] of (spec.workspaces ?? []).entries()) {
    errs = errs.also(validateWorkspaceBinding(ws).viaFieldIndex("workspaces", i));
    const prev = seen.get(ws.name);
    if (prev !== undefined) {
      errs = errs.also(
        FieldError.generic(
          `workspace ${goQuote(ws.name)} provided by pipelinerun more than once, at index ${prev} and ${i}`,
          "name",
        ).viaFieldIndex("workspaces", i),
      );
    }
    seen.set(ws.name, i);
  }
  const podTemplate = spec.taskRunTemplate?.podTemplate;
  if (podTemplate != null)
    errs = errs.also(validatePodTemplateEnv(podTemplate, defaults).viaField("taskRunTemplate"));
  return errs;
}

/** `PipelineRun.Validate` (create, and the object part of an update); paths from the root. */
export function validatePipelineRun(
  pr: PipelineRun,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): FieldError {
  let errs = validateObjectMetadata(pr.metadata);
  const spec = pr.spec ?? {};
  if (spec.status === PipelineRunSpecStatus.Pending && (pr.status?.startTime ?? "") !== "") {
    errs = errs.also(
      FieldError.invalidValue("PipelineRun cannot be Pending after it is started", "spec.status"),
    );
  }
  return errs.also(validatePipelineRunSpec(spec, features, defaults).viaField("spec"));
}
