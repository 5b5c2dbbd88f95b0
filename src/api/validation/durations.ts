/**
 * Duration fields that Go decodes as `metav1.Duration`. A malformed value makes Tekton's webhook
 * fail to decode the object before any validation runs, so it is reported alone, with Go's text
 * (`time: invalid duration "x"`) and the field's path.
 */
import { DurationError, parseGoDuration } from "../duration.js";
import type { KubeObject, Step } from "../types.js";
import { FieldError } from "./field-error.js";

function check(value: unknown, path: string): FieldError | undefined {
  if (typeof value !== "string") return undefined;
  try {
    parseGoDuration(value);
    return undefined;
  } catch (err) {
    if (err instanceof DurationError) return FieldError.generic(err.message, path);
    throw err;
  }
}

function stepTimeouts(steps: unknown, prefix: string): FieldError | undefined {
  if (!Array.isArray(steps)) return undefined;
  for (const [i, s] of (steps as Step[]).entries()) {
    const e = check(s?.timeout, `${prefix}.steps[${i}].timeout`);
    if (e !== undefined) return e;
  }
  return undefined;
}

function pipelineSpecDurations(spec: Record<string, unknown>, prefix: string): FieldError | undefined {
  for (const section of ["tasks", "finally"]) {
    const tasks = Array.isArray(spec[section]) ? (spec[section] as unknown[]) : [];
    for (const [i, raw] of tasks.entries()) {
      if (raw === null || typeof raw !== "object") continue;
      const t = raw as Record<string, unknown>;
      const at = `${prefix}.${section}[${i}]`;
      const taskSpec = (t["taskSpec"] ?? {}) as Record<string, unknown>;
      const nested = t["pipelineSpec"];
      const e =
        check(t["timeout"], `${at}.timeout`) ??
        stepTimeouts(taskSpec["steps"], `${at}.taskSpec`) ??
        (nested !== null && typeof nested === "object"
          ? pipelineSpecDurations(nested as Record<string, unknown>, `${at}.pipelineSpec`)
          : undefined);
      if (e !== undefined) return e;
    }
  }
  return undefined;
}

/** The first malformed duration of a Task, TaskRun, Pipeline, PipelineRun, CustomRun or Run, if any. */
export function malformedDuration(obj: KubeObject): FieldError | undefined {
  const spec = (obj["spec"] ?? {}) as Record<string, unknown>;
  switch (obj.kind) {
    case "TaskRun": {
      const taskSpec = (spec["taskSpec"] ?? {}) as Record<string, unknown>;
      return check(spec["timeout"], "spec.timeout") ?? stepTimeouts(taskSpec["steps"], "spec.taskSpec");
    }
    case "Task":
      return stepTimeouts(spec["steps"], "spec");
    case "CustomRun":
    case "Run":
      return check(spec["timeout"], "spec.timeout");
    case "Pipeline":
      return pipelineSpecDurations(spec, "spec");
    case "PipelineRun": {
      const timeouts = (spec["timeouts"] ?? {}) as Record<string, unknown>;
      for (const k of ["pipeline", "tasks", "finally"]) {
        const e = check(timeouts[k], `spec.timeouts.${k}`);
        if (e !== undefined) return e;
      }
      const specs = Array.isArray(spec["taskRunSpecs"]) ? (spec["taskRunSpecs"] as unknown[]) : [];
      for (const [i, t] of specs.entries()) {
        const e = check(
          (t as Record<string, unknown> | null)?.["timeout"],
          `spec.taskRunSpecs[${i}].timeout`,
        );
        if (e !== undefined) return e;
      }
      const ps = spec["pipelineSpec"];
      return ps !== null && typeof ps === "object"
        ? pipelineSpecDurations(ps as Record<string, unknown>, "spec.pipelineSpec")
        : undefined;
    }
    default:
      return undefined;
  }
}
