/**
 * Pipeline and PipelineSpec validation with Tekton's messages and paths
 * (`pkg/apis/pipeline/v1/pipeline_validation.go`). A stored Pipeline must also declare every
 * param and workspace its tasks use; a spec embedded in a PipelineRun may rely on propagation
 * instead (checked by the PipelineRun's own rules).
 */
import type { FeatureFlags } from "../../config/features.js";
import { DagError, buildDag } from "../dag.js";
import type {
  Pipeline,
  PipelineSpec,
  PipelineTask,
  PipelineWorkspaceDeclaration,
} from "../pipeline-types.js";
import type { ParamSpec } from "../types.js";
import { FieldError, goQuote } from "./field-error.js";
import { validateObjectMetadata } from "./metadata.js";
import { validateUsageOfDeclaredParameters } from "./param-usage.js";
import {
  validateDuplicateParameters,
  validateExecutionStatusVariables,
  validatePipelineContextVariables,
  validatePipelineParameterVariables,
  validatePipelineTaskParameterUsage,
  validateVarSubstitutionExpressions,
} from "./pipeline-params.js";
import {
  validateFinalTasks,
  validateMatrixedResultsConsumed,
  validatePipelineRefResultReferences,
  validatePipelineResults,
} from "./pipeline-results.js";
import { validateBetaFields, validatePipelineTasks, validateTasksWorkspacesUsage } from "./pipeline-task.js";
import { validateWhenExpressions } from "./when.js";
import { requireApiFields } from "./feature-gate.js";

/** Tekton's `default-max-matrix-combinations-count`. */
export const DEFAULT_MAX_MATRIX_COMBINATIONS = 256;

function isEmptySpec(ps: PipelineSpec): boolean {
  return Object.values(ps).every(
    (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0),
  );
}

function validateGraph(tasks: readonly PipelineTask[]): FieldError {
  try {
    buildDag(tasks);
    return FieldError.empty();
  } catch (err) {
    if (err instanceof DagError) return FieldError.invalidValue(err.message, "tasks");
    throw err;
  }
}

function validateWorkspaceDeclarations(wss: readonly PipelineWorkspaceDeclaration[]): FieldError {
  const seen = new Set<string>();
  let errs = FieldError.empty();
  for (const [i, ws] of wss.entries()) {
    if ((ws.name ?? "") === "")
      errs = errs.also(
        FieldError.invalidValue(`workspace ${i} has empty name`, "").viaFieldIndex("workspaces", i),
      );
    if (seen.has(ws.name)) {
      errs = errs.also(
        FieldError.invalidValue(
          `workspace with name ${goQuote(ws.name)} appears more than once`,
          "",
        ).viaFieldIndex("workspaces", i),
      );
    }
    seen.add(ws.name);
  }
  return errs;
}

function validateTasksAndFinally(ps: PipelineSpec): FieldError {
  const finallyCount = (ps.finally ?? []).length;
  if (finallyCount !== 0 && (ps.tasks ?? []).length === 0)
    return FieldError.invalidValue(
      `spec.tasks is empty but spec.finally has ${finallyCount} tasks`,
      "finally",
    );
  return FieldError.empty();
}

function validateWhens(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
  features: FeatureFlags,
): FieldError {
  let errs = FieldError.empty();
  for (const [i, t] of tasks.entries())
    errs = errs.also(validateWhenExpressions(t.when ?? [], features).viaFieldIndex("tasks", i));
  for (const [i, t] of finallyTasks.entries())
    errs = errs.also(validateWhenExpressions(t.when ?? [], features).viaFieldIndex("finally", i));
  return errs;
}

const ARTIFACT_REF = /\$\(tasks\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/;

function validateArtifactReferences(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
  features: FeatureFlags,
): FieldError {
  if (features.enableArtifacts) return FieldError.empty();
  for (const [section, list] of [
    ["tasks", tasks],
    ["finally", finallyTasks],
  ] as const) {
    for (const [i, t] of list.entries()) {
      const values = (t.params ?? []).flatMap((p) =>
        typeof p.value === "string"
          ? [p.value]
          : Array.isArray(p.value)
            ? p.value
            : Object.values(p.value ?? {}),
      );
      if (values.some((v) => ARTIFACT_REF.test(v))) {
        return FieldError.generic(
          "feature flag enable-artifacts should be set to true to use artifacts feature.",
          "",
        )
          .viaField("params")
          .viaFieldIndex(section, i);
      }
    }
  }
  return FieldError.empty();
}

/** `Matrix.CountCombinations`. */
export function countMatrixCombinations(pt: PipelineTask): number {
  const params = pt.matrix?.params ?? [];
  const include = pt.matrix?.include ?? [];
  let count = 0;
  if (params.length > 0) {
    count = 1;
    for (const p of params) if (Array.isArray(p.value) && p.value.length > 0) count *= p.value.length;
  }
  if (include.length === 0) return count;
  if (params.length === 0) return count + include.length;
  const values = new Map(params.map((p) => [p.name, Array.isArray(p.value) ? p.value : []] as const));
  for (const inc of include) {
    for (const p of inc.params ?? []) {
      const existing = values.get(p.name);
      if (existing === undefined) continue;
      if (!existing.includes(typeof p.value === "string" ? p.value : "")) count++;
      else break;
    }
  }
  return count;
}

function validateMatrix(tasks: readonly PipelineTask[], features: FeatureFlags): FieldError {
  let errs = FieldError.empty();
  for (const [i, pt] of tasks.entries()) {
    const params = pt.matrix?.params ?? [];
    const include = pt.matrix?.include ?? [];
    let e = FieldError.empty();
    if (params.length > 0 || include.length > 0) {
      e = e.also(requireApiFields(features, "matrix", "beta"));
      const count = countMatrixCombinations(pt);
      if (count > DEFAULT_MAX_MATRIX_COMBINATIONS)
        e = e.also(FieldError.outOfBoundsValue(count, 0, DEFAULT_MAX_MATRIX_COMBINATIONS, "matrix"));
      for (const [j, inc] of include.entries())
        e = e.also(validateDuplicateParameters(inc.params ?? []).viaField(`matrix.include[${j}].params`));
      if (params.length > 0) e = e.also(validateDuplicateParameters(params).viaField("matrix.params"));
    }
    const matrixNames = new Set(
      [...params, ...include.flatMap((inc) => inc.params ?? [])].map((p) => p.name),
    );
    for (const p of pt.params ?? [])
      if (matrixNames.has(p.name))
        e = e.also(FieldError.multipleOneOf(`matrix[${p.name}]`, `params[${p.name}]`));
    errs = errs.also(e.viaIndex(i));
  }
  return errs.also(validateMatrixedResultsConsumed(tasks));
}

/** `PipelineSpec.Validate`; paths relative to the spec. */
export function validatePipelineSpec(ps: PipelineSpec, features: FeatureFlags): FieldError {
  const tasks = ps.tasks ?? [];
  const finallyTasks = ps.finally ?? [];
  const params = ps.params ?? [];
  let errs = validateBetaFields(tasks, finallyTasks, features);
  if (isEmptySpec(ps)) {
    errs = errs.also(
      FieldError.generic(
        "expected at least one, got none",
        "description",
        "params",
        "resources",
        "tasks",
        "workspaces",
      ),
    );
  }
  return errs
    .also(validatePipelineTasks(tasks, finallyTasks, features, validatePipelineSpec))
    .also(validateGraph(tasks))
    .also(validatePipelineParameterVariables(tasks, params, features).viaField("tasks"))
    .also(validatePipelineParameterVariables(finallyTasks, params, features).viaField("finally"))
    .also(validatePipelineContextVariables(tasks).viaField("tasks"))
    .also(validatePipelineContextVariables(finallyTasks).viaField("finally"))
    .also(validateExecutionStatusVariables(tasks, finallyTasks))
    .also(validateWorkspaceDeclarations(ps.workspaces ?? []))
    .also(validatePipelineResults(ps.results ?? [], tasks, finallyTasks))
    .also(validatePipelineRefResultReferences(tasks, finallyTasks))
    .also(validateTasksAndFinally(ps))
    .also(validateFinalTasks(tasks, finallyTasks))
    .also(validateWhens(tasks, finallyTasks, features))
    .also(validateArtifactReferences(tasks, finallyTasks, features))
    .also(validateMatrix(tasks, features).viaField("tasks"))
    .also(validateMatrix(finallyTasks, features).viaField("finally"))
    .also(validateVarSubstitutionExpressions(tasks, "tasks"))
    .also(validateVarSubstitutionExpressions(finallyTasks, "finally"));
}

/** `validateUsageOfDeclaredPipelineTaskParameters`: embedded steps use the task's or the pipeline's params. */
function embeddedParamUsage(
  tasks: readonly PipelineTask[],
  params: readonly ParamSpec[],
  section: string,
): FieldError {
  let errs = FieldError.empty();
  for (const [i, t] of tasks.entries()) {
    if (t.taskSpec == null) continue;
    errs = errs.also(
      validateUsageOfDeclaredParameters(t.taskSpec.steps ?? [], [
        ...(t.taskSpec.params ?? []),
        ...params,
      ]).viaFieldIndex(section, i),
    );
  }
  return errs;
}

/** `Pipeline.Validate`: metadata, the spec, and the use of undeclared params and workspaces. */
export function validatePipeline(p: Pipeline, features: FeatureFlags): FieldError {
  const spec = p.spec ?? {};
  const tasks = spec.tasks ?? [];
  const finallyTasks = spec.finally ?? [];
  const params = spec.params ?? [];
  const workspaces = spec.workspaces ?? [];
  return validateObjectMetadata(p.metadata)
    .also(validatePipelineSpec(spec, features).viaField("spec"))
    .also(embeddedParamUsage(tasks, params, "tasks").viaField("spec"))
    .also(embeddedParamUsage(finallyTasks, params, "finally").viaField("spec"))
    .also(validatePipelineTaskParameterUsage(tasks, params).viaField("tasks").viaField("spec"))
    .also(validatePipelineTaskParameterUsage(finallyTasks, params).viaField("finally").viaField("spec"))
    .also(validateTasksWorkspacesUsage(workspaces, tasks).viaField("tasks").viaField("spec"))
    .also(validateTasksWorkspacesUsage(workspaces, finallyTasks).viaField("finally").viaField("spec"));
}
