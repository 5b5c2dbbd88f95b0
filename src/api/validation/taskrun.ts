/** `TaskRun.Validate` (`taskrun_validation.go`) for create; paths from the TaskRun root. */
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { formatGoDuration, parseGoDuration } from "../duration.js";
import {
  TaskRunSpecStatus,
  type ResourceRequirements,
  type TaskRun,
  type TaskRunSpec,
  type TaskRunStepSpec,
} from "../types.js";
import { FieldError } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { validateInlineParameters } from "./inline-params.js";
import { validateObjectMetadata } from "./metadata.js";
import { validateNoDuplicateNames } from "./params.js";
import { validateRef } from "./ref.js";
import { validateTaskSpec } from "./taskspec.js";
import { validateWorkspaceBindings } from "./workspace-binding.js";

function validateDebug(debug: NonNullable<TaskRunSpec["debug"]>): FieldError {
  const bp = debug.breakpoints;
  if (bp === undefined || bp === null) return FieldError.empty();
  let errs = FieldError.empty();
  const onFailure = bp.onFailure ?? "";
  if (onFailure === "") {
    errs = errs.also(
      FieldError.invalidValue(
        "onFailure breakpoint is empty, it is only allowed to be set as enabled",
        "breakpoints.onFailure",
      ),
    );
  } else if (onFailure !== "enabled") {
    errs = errs.also(
      FieldError.invalidValue(
        `${onFailure} is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled`,
        "breakpoints.onFailure",
      ),
    );
  }
  const seen = new Set<string>();
  for (const [i, step] of (bp.beforeSteps ?? []).entries()) {
    if (seen.has(step)) {
      errs = errs.also(
        FieldError.generic(
          `before step must be unique, the same step: ${step} is defined multiple times at`,
          `breakpoints.beforeSteps[${i}]`,
        ),
      );
    }
    seen.add(step);
  }
  return errs;
}

/** stepSpecs / sidecarSpecs: names required and unique (indexes count named entries only). */
export function validateSpecNames(specs: readonly TaskRunStepSpec[]): FieldError {
  let errs = FieldError.empty();
  const names: string[] = [];
  for (const [i, s] of specs.entries()) {
    if ((s.name ?? "") === "") errs = errs.also(FieldError.missingField("name").viaIndex(i));
    else names.push(s.name);
  }
  return errs.also(validateNoDuplicateNames(names, true));
}

/** Whether a ResourceRequirements sets anything (Go `Size() != 0`). */
export function hasResources(r: ResourceRequirements | undefined): boolean {
  if (r === undefined || r === null) return false;
  return (
    Object.keys(r.limits ?? {}).length > 0 ||
    Object.keys(r.requests ?? {}).length > 0 ||
    Object.keys(r).some((k) => k !== "limits" && k !== "requests")
  );
}

function timeoutNs(s: string | undefined): bigint | undefined {
  if (typeof s !== "string") return undefined;
  try {
    return parseGoDuration(s);
  } catch {
    return undefined; // reported as a decode error (durations.ts)
  }
}

/** TaskRunSpec checks; paths relative to `spec`. */
export function validateTaskRunSpec(
  ts: TaskRunSpec,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): FieldError {
  let errs = FieldError.empty();
  if (ts.taskRef === undefined && ts.taskSpec === undefined)
    errs = errs.also(FieldError.missingOneOf("taskRef", "taskSpec"));
  if (ts.taskRef !== undefined && ts.taskSpec !== undefined)
    errs = errs.also(FieldError.multipleOneOf("taskRef", "taskSpec"));
  if (ts.taskRef !== undefined) errs = errs.also(validateRef(ts.taskRef, features).viaField("taskRef"));
  if (ts.taskSpec !== undefined) {
    if (features.disableInlineSpec.includes("taskrun"))
      errs = errs.also(FieldError.disallowedFields("taskSpec"));
    errs = errs.also(validateTaskSpec(ts.taskSpec, features).viaField("taskSpec"));
  }
  errs = errs.also(
    validateNoDuplicateNames(
      (ts.params ?? []).map((p) => p.name),
      false,
    ).viaField("params"),
  );
  errs = errs.also(validateInlineParameters(ts.params ?? [], ts.taskSpec, features));
  errs = errs.also(validateWorkspaceBindings(ts.workspaces ?? []).viaField("workspaces"));
  if (ts.debug !== undefined && ts.debug !== null) {
    errs = errs.also(requireApiFields(features, "debug", "alpha").viaField("debug"));
    errs = errs.also(validateDebug(ts.debug).viaField("debug"));
  }
  if (ts.stepSpecs !== undefined && ts.stepSpecs !== null) {
    errs = errs.also(requireApiFields(features, "stepSpecs", "beta").viaField("stepSpecs"));
    errs = errs.also(validateSpecNames(ts.stepSpecs).viaField("stepSpecs"));
  }
  if (ts.sidecarSpecs !== undefined && ts.sidecarSpecs !== null) {
    errs = errs.also(requireApiFields(features, "sidecarSpecs", "beta").viaField("sidecarSpecs"));
    errs = errs.also(validateSpecNames(ts.sidecarSpecs).viaField("sidecarSpecs"));
  }
  if (ts.computeResources !== undefined && ts.computeResources !== null) {
    errs = errs.also(requireApiFields(features, "computeResources", "beta").viaField("computeResources"));
    if ((ts.stepSpecs ?? []).some((s) => hasResources(s.computeResources))) {
      errs = errs.also(FieldError.multipleOneOf("stepSpecs.resources", "computeResources"));
    }
  }
  const status = ts.status ?? "";
  const { Cancelled, Pending } = TaskRunSpecStatus;
  if (status !== "" && status !== Cancelled && status !== Pending) {
    errs = errs.also(FieldError.invalidValue(`${status} should be ${Cancelled} or ${Pending}`, "status"));
  }
  if (status === "" && (ts.statusMessage ?? "") !== "") {
    errs = errs.also(
      FieldError.invalidValue(
        `statusMessage should not be set if status is not set, but it is currently set to ${ts.statusMessage ?? ""}`,
        "statusMessage",
      ),
    );
  }
  if (typeof ts.retries === "number" && ts.retries < 0) {
    errs = errs.also(FieldError.invalidValue(`${ts.retries} should be >= 0`, "retries"));
  }
  const forbidden = defaults.defaultForbiddenEnv;
  if (ts.podTemplate !== undefined && forbidden.length > 0) {
    for (const env of ts.podTemplate.env ?? []) {
      if (forbidden.includes(env.name)) {
        errs = errs.also(
          FieldError.invalidValue(
            `PodTemplate cannot update a forbidden env: ${env.name}`,
            "PodTemplate.Env",
          ),
        );
      }
    }
  }
  const timeout = timeoutNs(ts.timeout);
  if (timeout !== undefined && timeout < 0n) {
    errs = errs.also(FieldError.invalidValue(`${formatGoDuration(timeout)} should be >= 0`, "timeout"));
  }
  return errs;
}

/** Validates a (defaulted) TaskRun. */
export function validateTaskRun(tr: TaskRun, features: FeatureFlags, defaults: ConfigDefaults): FieldError {
  let errs = validateObjectMetadata(tr.metadata);
  const spec = tr.spec ?? {};
  if (spec.status === "TaskRunPending" && (tr.status?.startTime ?? "") !== "") {
    errs = errs.also(FieldError.invalidValue("TaskRun cannot be Pending after it is started", "spec.status"));
  }
  return errs.also(validateTaskRunSpec(spec, features, defaults).viaField("spec"));
}
