/**
 * One pipeline task (`PipelineTask.Validate` in `pipeline_validation.go`): its name, exactly one
 * of taskRef/taskSpec (or, alpha, pipelineRef/pipelineSpec), `onError`, custom tasks (a
 * non-Tekton apiVersion/kind) and the embedded specs; plus the list rules (unique names, beta
 * fields) and the workspaces a task binds. Paths are relative to the task unless stated.
 */
import type { FeatureFlags } from "../../config/features.js";
import { ApiFields } from "../../config/features.js";
import type { PipelineSpec, PipelineTask } from "../pipeline-types.js";
import { FieldError, goQuote } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { isDNS1123Label } from "./k8s-names.js";
import { validateRef } from "./ref.js";
import { validateTaskSpec } from "./taskspec.js";

/** Validates a nested pipelineSpec (pipelines in pipelines); injected to avoid an import cycle. */
export type PipelineSpecValidator = (ps: PipelineSpec, features: FeatureFlags) => FieldError;

const NAME_DETAILS =
  "Pipeline Task name must be a valid DNS Label." +
  "For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names";

/** `PipelineTask.ValidateName`. */
function validateName(pt: PipelineTask): FieldError {
  if (isDNS1123Label(pt.name ?? "").length === 0) return FieldError.empty();
  return FieldError.of(`invalid value ${goQuote(pt.name ?? "")}`, ["name"], NAME_DETAILS);
}

function isSet<T>(v: T | undefined | null): v is T {
  return v !== undefined && v !== null;
}

function validateRefOrSpec(pt: PipelineTask, features: FeatureFlags): FieldError {
  let errs = FieldError.empty();
  const given: string[] = [];
  if (isSet(pt.taskRef)) given.push("taskRef");
  if (isSet(pt.taskSpec)) given.push("taskSpec");
  if (isSet(pt.pipelineRef)) {
    errs = errs.also(requireApiFields(features, "pipelineRef", "alpha"));
    given.push("pipelineRef");
  }
  if (isSet(pt.pipelineSpec)) {
    errs = errs.also(requireApiFields(features, "pipelineSpec", "alpha"));
    given.push("pipelineSpec");
  }
  if (given.length > 1) return errs.also(FieldError.generic("expected exactly one, got multiple", ...given));
  if (given.length === 0) {
    return errs.also(
      features.enableApiFields === ApiFields.Alpha
        ? FieldError.missingOneOf("taskRef", "taskSpec", "pipelineRef", "pipelineSpec")
        : FieldError.missingOneOf("taskRef", "taskSpec"),
    );
  }
  return errs;
}

function validateEnabledInlineSpec(pt: PipelineTask, features: FeatureFlags): FieldError {
  if (!features.disableInlineSpec.includes("pipeline")) return FieldError.empty();
  let errs = FieldError.empty();
  if (isSet(pt.taskSpec)) errs = errs.also(FieldError.disallowedFields("taskSpec"));
  if (isSet(pt.pipelineSpec)) errs = errs.also(FieldError.disallowedFields("pipelineSpec"));
  return errs;
}

function validateEmbeddedOrType(pt: PipelineTask): FieldError {
  const spec = pt.taskSpec;
  if (!isSet(spec) || (spec.steps ?? []).length === 0) return FieldError.empty();
  let errs = FieldError.empty();
  if ((spec.apiVersion ?? "") !== "") {
    errs = errs.also(
      FieldError.of("taskSpec.apiVersion cannot be specified when using taskSpec.steps", [
        "taskSpec.apiVersion",
      ]),
    );
  }
  if ((spec.kind ?? "") !== "") {
    errs = errs.also(
      FieldError.of("taskSpec.kind cannot be specified when using taskSpec.steps", ["taskSpec.kind"]),
    );
  }
  return errs;
}

function validateOnError(pt: PipelineTask, features: FeatureFlags): FieldError {
  const onError = pt.onError ?? "";
  if (onError === "" || onError.startsWith("$(params")) return FieldError.empty();
  let errs = requireApiFields(features, "OnError", "beta");
  if (onError !== "continue" && onError !== "stopAndFail") {
    errs = errs.also(
      FieldError.invalidValue(
        onError,
        "OnError",
        'PipelineTask OnError must be either "continue" or "stopAndFail"',
      ),
    );
  }
  if (onError === "continue" && (pt.retries ?? 0) > 0) {
    errs = errs.also(
      FieldError.generic('PipelineTask OnError cannot be set to "continue" when Retries is greater than 0'),
    );
  }
  return errs;
}

function isValidApiVersion(apiVersion: string): boolean {
  const parts = apiVersion.split("/");
  return parts.length === 2 && parts[0] !== "" && parts[1] !== "";
}

function validateCustomTask(pt: PipelineTask): FieldError {
  let errs = FieldError.empty();
  const ref = pt.taskRef;
  const spec = pt.taskSpec;
  if (isSet(ref) && (ref.kind ?? "") === "")
    errs = errs.also(FieldError.invalidValue("custom task ref must specify kind", "taskRef.kind"));
  if (isSet(spec) && (spec.kind ?? "") === "")
    errs = errs.also(FieldError.invalidValue("custom task spec must specify kind", "taskSpec.kind"));
  for (const [field, what, apiVersion] of [
    ["taskRef", "ref", isSet(ref) ? (ref.apiVersion ?? "") : undefined],
    ["taskSpec", "spec", isSet(spec) ? (spec.apiVersion ?? "") : undefined],
  ] as const) {
    if (apiVersion === undefined) continue;
    if (apiVersion === "") {
      errs = errs.also(
        FieldError.invalidValue(`custom task ${what} must specify apiVersion`, `${field}.apiVersion`),
      );
    } else if (!isValidApiVersion(apiVersion)) {
      errs = errs.also(
        FieldError.invalidValue(
          `invalid apiVersion format ${goQuote(apiVersion)}, must be in the format "group/version"`,
          `${field}.apiVersion`,
        ),
      );
    }
  }
  return errs;
}

/** Whether a pipeline task runs a custom task (a CustomRun), by Tekton's classification. */
export function isCustomTask(pt: PipelineTask): boolean {
  const taskKind = (k: string | undefined): boolean => (k ?? "") === "" || k === "Task";
  if (isSet(pt.taskRef) && !taskKind(pt.taskRef.kind)) return true;
  if (isSet(pt.taskRef) && (pt.taskRef.apiVersion ?? "") !== "") return true;
  if (isSet(pt.taskSpec) && !taskKind(pt.taskSpec.kind)) return true;
  return isSet(pt.taskSpec) && (pt.taskSpec.apiVersion ?? "") !== "";
}

function validateTask(pt: PipelineTask, features: FeatureFlags, nested: PipelineSpecValidator): FieldError {
  let errs = FieldError.empty();
  if (isSet(pt.taskSpec)) errs = errs.also(validateTaskSpec(pt.taskSpec, features).viaField("taskSpec"));
  if (isSet(pt.taskRef)) errs = errs.also(validateRef(pt.taskRef, features).viaField("taskRef"));
  if (isSet(pt.pipelineRef)) errs = errs.also(validateRef(pt.pipelineRef, features).viaField("pipelineRef"));
  if (isSet(pt.pipelineSpec)) errs = errs.also(nested(pt.pipelineSpec, features).viaField("pipelineSpec"));
  return errs;
}

/** `PipelineTask.Validate`. */
export function validatePipelineTask(
  pt: PipelineTask,
  features: FeatureFlags,
  nested: PipelineSpecValidator,
): FieldError {
  return validateRefOrSpec(pt, features)
    .also(validateEnabledInlineSpec(pt, features))
    .also(validateEmbeddedOrType(pt))
    .also(validateOnError(pt, features))
    .also(isCustomTask(pt) ? validateCustomTask(pt) : validateTask(pt, features, nested));
}

/**
 * `PipelineTaskList.Validate` for `tasks` then `finally`: names, duplicates across both lists
 * (`expected exactly one, got both: tasks[1].name`), each task. Paths include `tasks[i]`/`finally[i]`.
 */
export function validatePipelineTasks(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
  features: FeatureFlags,
  nested: PipelineSpecValidator,
): FieldError {
  const names = new Set<string>();
  let errs = FieldError.empty();
  for (const [section, list] of [
    ["tasks", tasks],
    ["finally", finallyTasks],
  ] as const) {
    for (const [i, t] of list.entries()) {
      errs = errs.also(validateName(t).viaFieldIndex(section, i));
      if (names.has(t.name)) errs = errs.also(FieldError.multipleOneOf("name").viaFieldIndex(section, i));
      names.add(t.name);
      errs = errs.also(validatePipelineTask(t, features, nested).viaFieldIndex(section, i));
    }
  }
  return errs;
}

/**
 * `PipelineSpec.ValidateBetaFields`: resolver and resolver params of a taskRef. Tekton prefixes
 * finally tasks with `tasks[i]` too; reproduced.
 */
export function validateBetaFields(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
  features: FeatureFlags,
): FieldError {
  let errs = FieldError.empty();
  for (const list of [tasks, finallyTasks]) {
    for (const [i, pt] of list.entries()) {
      const ref = pt.taskRef;
      if (!isSet(ref)) continue;
      let e = FieldError.empty();
      if ((ref.resolver ?? "") !== "") e = e.also(requireApiFields(features, "taskref.resolver", "beta"));
      if ((ref.params ?? []).length > 0) e = e.also(requireApiFields(features, "taskref.params", "beta"));
      errs = errs.also(e.viaFieldIndex("tasks", i));
    }
  }
  return errs;
}

/** `PipelineTask.validateWorkspaces`: bindings name a declared pipeline workspace, once each. */
function validateTaskWorkspaces(pt: PipelineTask, declared: ReadonlySet<string>): FieldError {
  const bound = new Set<string>();
  let errs = FieldError.empty();
  for (const [i, ws] of (pt.workspaces ?? []).entries()) {
    if (bound.has(ws.name)) {
      errs = errs.also(
        FieldError.generic(`workspace name ${goQuote(ws.name)} must be unique`, "").viaFieldIndex(
          "workspaces",
          i,
        ),
      );
    }
    const target = (ws.workspace ?? "") === "" ? ws.name : (ws.workspace ?? "");
    if (!declared.has(target)) {
      errs = errs.also(
        FieldError.invalidValue(
          `pipeline task ${goQuote(pt.name)} expects workspace with name ${goQuote(target)} but none exists in pipeline spec`,
          "",
        ).viaFieldIndex("workspaces", i),
      );
    }
    bound.add(ws.name);
  }
  return errs;
}

/** `validatePipelineTasksWorkspacesUsage`; paths `[i].workspaces[j]` (caller adds `tasks`/`finally`). */
export function validateTasksWorkspacesUsage(
  declared: readonly { name: string }[],
  tasks: readonly PipelineTask[],
): FieldError {
  const names = new Set(declared.map((w) => w.name));
  let errs = FieldError.empty();
  for (const [i, pt] of tasks.entries()) errs = errs.also(validateTaskWorkspaces(pt, names).viaIndex(i));
  return errs;
}
