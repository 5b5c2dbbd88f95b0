/**
 * Tekton's update rules for PipelineRuns (`PipelineRunSpec.ValidateUpdate`): `managedBy` never
 * changes; a finished PipelineRun's spec is frozen (a difference that defaulting alone explains
 * is allowed); otherwise only `spec.status` may change — whether or not the run has started.
 * Both objects are already defaulted.
 */
import { isDeepStrictEqual } from "node:util";
import type { ConfigDefaults } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { PipelineRun, PipelineRunSpec } from "../pipeline-types.js";
import { FieldError } from "./field-error.js";

/** Deep equality of JSON values (absent and `undefined` fields alike). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

function isDone(pr: PipelineRun): boolean {
  const c = pr.status?.conditions?.find((x) => x.type === "Succeeded");
  return c !== undefined && c.status !== "Unknown";
}

/** Rendered errors (with paths) when `next` may not replace `previous`, else undefined. */
export function validatePipelineRunUpdate(
  previous: PipelineRun,
  next: PipelineRun,
  defaults: ConfigDefaults,
): string | undefined {
  const before: PipelineRunSpec = previous.spec ?? {};
  const after: PipelineRunSpec = next.spec ?? {};
  let errs = FieldError.empty();
  if (before.managedBy !== after.managedBy) {
    // Tekton names the path `spec.managedBy` inside the spec's own errors: `spec.spec.managedBy`.
    errs = errs.also(FieldError.invalidValue("managedBy is immutable", "spec.managedBy"));
  }
  if (isDone(previous)) {
    if (!sameJson(before, after)) {
      const redefaulted = applyDefaults(previous, defaults).spec;
      if (!sameJson(redefaulted, after)) {
        errs = errs.also(
          FieldError.invalidValue("Once the PipelineRun is complete, no updates are allowed", ""),
        );
      }
    }
  } else {
    const { status: _s1, managedBy: _m1, ...restBefore } = before;
    const { status: _s2, managedBy: _m2, ...restAfter } = after;
    if (!sameJson(restBefore, restAfter)) {
      errs = errs.also(
        FieldError.invalidValue("Once the PipelineRun has started, only status updates are allowed", ""),
      );
    }
  }
  return errs.isEmpty() ? undefined : errs.viaField("spec").error();
}
