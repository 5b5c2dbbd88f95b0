/** `TaskSpec.Validate` and `Task.Validate` (`task_validation.go`); paths relative to the spec. */
import type { FeatureFlags } from "../../config/features.js";
import type { Step, StepTemplate, Task, TaskSpec, WorkspaceDeclaration } from "../types.js";
import { FieldError, goQuote } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { validateObjectMetadata } from "./metadata.js";
import {
  validateParameterVariables,
  validateTaskContextVariables,
  validateTaskResultsVariables,
  validateUsageOfDeclaredParameters,
} from "./param-usage.js";
import { validateParameterTypes } from "./params.js";
import { validateStepResults, validateStepResultsVariables, validateTaskResults } from "./results.js";
import { validateSidecars } from "./sidecar.js";
import { cleanPath, validateStep } from "./step.js";
import { mergeStepsWithTemplate } from "./step-template.js";
import { validateWhenExpressions } from "./when.js";

function validateVolumes(volumes: readonly { name: string }[]): FieldError {
  let errs = FieldError.empty();
  const seen = new Set<string>();
  for (const [idx, v] of volumes.entries()) {
    if (seen.has(v.name)) {
      errs = errs.also(
        FieldError.generic(`multiple volumes with same name ${goQuote(v.name)}`, "name").viaIndex(idx),
      );
    } else {
      seen.add(v.name);
    }
  }
  return errs;
}

function validateDeclaredWorkspaces(
  workspaces: readonly WorkspaceDeclaration[],
  steps: readonly Step[],
  template: StepTemplate | undefined,
): FieldError {
  const mountPaths = new Set<string>();
  for (const s of steps) for (const vm of s.volumeMounts ?? []) mountPaths.add(cleanPath(vm.mountPath ?? ""));
  for (const vm of template?.volumeMounts ?? []) mountPaths.add(cleanPath(vm.mountPath ?? ""));
  let errs = FieldError.empty();
  const names = new Set<string>();
  for (const [idx, w] of workspaces.entries()) {
    if (names.has(w.name)) {
      errs = errs.also(
        FieldError.generic(`workspace name ${goQuote(w.name)} must be unique`, "name").viaIndex(idx),
      );
    } else {
      names.add(w.name);
    }
    const mountPath = cleanPath((w.mountPath ?? "") !== "" ? (w.mountPath ?? "") : `/workspace/${w.name}`);
    if (mountPaths.has(mountPath)) {
      errs = errs.also(
        FieldError.generic(`workspace mount path ${goQuote(mountPath)} must be unique`, "mountpath").viaIndex(
          idx,
        ),
      );
    }
    mountPaths.add(mountPath);
  }
  return errs;
}

function validateWorkspaceUsages(ts: TaskSpec, features: FeatureFlags): FieldError {
  const declared = new Set((ts.workspaces ?? []).map((w) => w.name));
  let errs = FieldError.empty();
  const check = (
    kind: "step" | "sidecar",
    list: ReadonlyArray<{ workspaces?: { name: string }[] }>,
  ): void => {
    const field = kind === "step" ? "steps" : "sidecars";
    for (const [i, c] of list.entries()) {
      const usages = c.workspaces ?? [];
      if (usages.length !== 0) {
        errs = errs.also(
          requireApiFields(features, `${kind} workspaces`, "beta").viaIndex(i).viaField(field),
        );
      }
      for (const [j, w] of usages.entries()) {
        if (!declared.has(w.name)) {
          errs = errs.also(
            FieldError.generic(`undefined workspace ${goQuote(w.name)}`, "name")
              .viaIndex(j)
              .viaField("workspaces")
              .viaIndex(i)
              .viaField(field),
          );
        }
      }
    }
  };
  check("step", ts.steps ?? []);
  check("sidecar", ts.sidecars ?? []);
  return errs;
}

function validateStepList(steps: readonly Step[], features: FeatureFlags): FieldError {
  let errs = FieldError.empty();
  const names = new Set<string>();
  for (const [idx, s] of steps.entries()) {
    const name = s.name ?? "";
    if (name !== "") {
      if (names.has(name)) errs = errs.also(FieldError.multipleOneOf("name").viaIndex(idx));
      names.add(name);
    }
    errs = errs.also(validateStep(s, features).viaIndex(idx));
    if (s.results !== undefined) {
      errs = errs.also(validateStepResultsVariables(s.results, s.script ?? "").viaIndex(idx));
      errs = errs.also(validateStepResults(s.results).viaIndex(idx).viaField("results"));
    }
    if ((s.when ?? []).length > 0)
      errs = errs.also(validateWhenExpressions(s.when ?? [], features).viaIndex(idx));
  }
  return errs;
}

/** Validates a (defaulted) TaskSpec; the caller prefixes `spec.taskSpec` or `spec`. */
export function validateTaskSpec(ts: TaskSpec, features: FeatureFlags): FieldError {
  const steps = ts.steps ?? [];
  const params = ts.params ?? [];
  let errs = FieldError.empty();
  if (steps.length === 0) errs = errs.also(FieldError.missingField("steps"));
  errs = errs.also(validateVolumes(ts.volumes ?? []).viaField("volumes"));
  errs = errs.also(
    validateDeclaredWorkspaces(ts.workspaces ?? [], steps, ts.stepTemplate).viaField("workspaces"),
  );
  errs = errs.also(validateWorkspaceUsages(ts, features));
  errs = errs.also(
    validateStepList(mergeStepsWithTemplate(ts.stepTemplate, steps), features).viaField("steps"),
  );
  errs = errs.also(validateSidecars(ts.sidecars ?? []).viaField("sidecars"));
  errs = errs.also(validateParameterTypes(params).viaField("params"));
  errs = errs.also(validateParameterVariables(steps, params, features));
  errs = errs.also(validateTaskContextVariables(steps));
  errs = errs.also(validateTaskResultsVariables(steps, ts.results ?? []));
  errs = errs.also(validateTaskResults(ts.results ?? []).viaField("results"));
  return errs;
}

/** `Task.Validate`: metadata, the spec, and declared-param usage (paths `spec.steps[i]...`). */
export function validateTask(task: Task, features: FeatureFlags): FieldError {
  const spec = task.spec ?? {};
  return validateObjectMetadata(task.metadata)
    .also(validateTaskSpec(spec, features).viaField("spec"))
    .also(validateUsageOfDeclaredParameters(spec.steps ?? [], spec.params ?? []).viaField("spec"));
}
