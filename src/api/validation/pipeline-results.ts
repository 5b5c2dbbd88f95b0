/**
 * Result references in a pipeline (`pipeline_validation.go`): pipeline `results` must be built
 * from task results of tasks that exist; finally tasks may read results of the main tasks only;
 * results of a pipelines-in-pipelines task cannot be read yet; results of a matrixed task are
 * read whole (`[*]`) and must be strings.
 */
import type { PipelineResult, PipelineTask } from "../pipeline-types.js";
import {
  containsResultRefs,
  looksLikeResultRef,
  paramExpressions,
  paramValueStrings,
  parseResultRef,
  pipelineTaskResultRefs,
  resultRefsIn,
  substitutionExpressions,
  whenExpressionExpressions,
  type ResultRef,
} from "../result-refs.js";
import type { TaskResult } from "../types.js";
import { FieldError, goList, goQuote } from "./field-error.js";

function resultExpressions(r: PipelineResult): string[] {
  return paramValueStrings(r.value).flatMap(substitutionExpressions);
}

/** Go's `%v` of a `[]*ResultRef`. */
function refList(refs: readonly ResultRef[]): string {
  return `[${refs.map((r) => `&{${r.pipelineTask} ${r.result} ${r.index ?? "<nil>"} ${r.property ?? ""}}`).join(" ")}]`;
}

/** `taskContainsResult`: every `$…` part of a string result names a task of the right section. */
function taskContainsResult(
  value: string,
  tasks: ReadonlySet<string>,
  finallyTasks: ReadonlySet<string>,
): boolean {
  for (const part of value.split("$")) {
    if (part === "") continue;
    let expr = `$${part}`;
    if (expr.startsWith("$(")) expr = expr.slice(2);
    if (expr.endsWith(")")) expr = expr.slice(0, -1);
    const ref = parseResultRef(expr);
    if (ref === undefined) return false;
    if (expr.startsWith("tasks") && !tasks.has(ref.pipelineTask)) return false;
    if (expr.startsWith("finally") && !finallyTasks.has(ref.pipelineTask)) return false;
  }
  return true;
}

/** `validatePipelineResults`; paths `results[i].value`. */
export function validatePipelineResults(
  results: readonly PipelineResult[],
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
): FieldError {
  const taskNames = new Set(tasks.map((t) => t.name));
  const finallyNames = new Set(finallyTasks.map((t) => t.name));
  let errs = FieldError.empty();
  for (const [i, r] of results.entries()) {
    let expressions = resultExpressions(r);
    const at = (msg: string): FieldError => FieldError.invalidValue(msg, "value").viaFieldIndex("results", i);
    if (expressions.length === 0)
      errs = errs.also(
        at("expected pipeline results to be task result expressions but no expressions were found"),
      );
    if (!containsResultRefs(expressions))
      errs = errs.also(
        at("expected pipeline results to be task result expressions but an invalid expressions was found"),
      );
    expressions = expressions.filter(looksLikeResultRef);
    const refs = resultRefsIn(expressions);
    if (expressions.length !== refs.length) {
      errs = errs.also(
        at(
          `expected all of the expressions ${goList(expressions)} to be result expressions but only ${refList(refs)} were`,
        ),
      );
    }
    const text = typeof r.value === "string" ? r.value : "";
    if (!taskContainsResult(text, taskNames, finallyNames))
      errs = errs.also(at("referencing a nonexistent task"));
  }
  return errs;
}

function finallyRefs(
  expressions: readonly string[],
  tasks: ReadonlySet<string>,
  finallyTasks: ReadonlySet<string>,
  path: string,
): FieldError {
  if (!containsResultRefs(expressions)) return FieldError.empty();
  let errs = FieldError.empty();
  for (const ref of resultRefsIn(expressions)) {
    const pt = ref.pipelineTask;
    if (finallyTasks.has(pt)) {
      errs = errs.also(
        FieldError.invalidValue(
          `invalid task result reference, final task has task result reference from a final task ${pt}`,
          path,
        ),
      );
    } else if (!tasks.has(pt)) {
      errs = errs.also(
        FieldError.invalidValue(
          `invalid task result reference, final task has task result reference from a task ${pt} which is not defined in the pipeline`,
          path,
        ),
      );
    }
  }
  return errs;
}

/** `validateFinalTasks`: no runAfter in finally; result references from main tasks only. */
export function validateFinalTasks(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
): FieldError {
  let errs = FieldError.empty();
  for (const [i, f] of finallyTasks.entries()) {
    if ((f.runAfter ?? []).length !== 0) {
      errs = errs.also(
        FieldError.invalidValue(
          `no runAfter allowed under spec.finally, final task ${f.name} has runAfter specified`,
          "",
        ).viaFieldIndex("finally", i),
      );
    }
  }
  const names = new Set(tasks.map((t) => t.name));
  const finallyNames = new Set(finallyTasks.map((t) => t.name));
  for (const [i, t] of finallyTasks.entries()) {
    for (const p of t.params ?? []) {
      const exprs = paramExpressions(p);
      if (exprs.length === 0) continue;
      errs = errs.also(
        finallyRefs(exprs, names, finallyNames, "value")
          .viaFieldKey("params", p.name)
          .viaFieldIndex("finally", i),
      );
    }
    for (const [j, w] of (t.when ?? []).entries()) {
      const exprs = whenExpressionExpressions(w);
      if (exprs.length === 0) continue;
      errs = errs.also(
        finallyRefs(exprs, names, finallyNames, "").viaFieldIndex("when", j).viaFieldIndex("finally", i),
      );
    }
  }
  return errs;
}

/** `validatePipelineRefResultReferencesDisallowed`: no results from a pipelines-in-pipelines task yet. */
export function validatePipelineRefResultReferences(
  tasks: readonly PipelineTask[],
  finallyTasks: readonly PipelineTask[],
): FieldError {
  const nested = new Set(
    tasks
      .filter(
        (t) => (t.pipelineRef ?? undefined) !== undefined || (t.pipelineSpec ?? undefined) !== undefined,
      )
      .map((t) => t.name),
  );
  if (nested.size === 0) return FieldError.empty();
  let errs = FieldError.empty();
  for (const [section, list] of [
    ["tasks", tasks],
    ["finally", finallyTasks],
  ] as const) {
    for (const [i, pt] of list.entries()) {
      for (const ref of pipelineTaskResultRefs(pt)) {
        if (!nested.has(ref.pipelineTask)) continue;
        errs = errs.also(
          FieldError.invalidValue(
            `result reference to pipelineTask ${goQuote(ref.pipelineTask)} is not supported: referenced task uses pipelineRef or pipelineSpec and result propagation from child Pipelines is not yet implemented`,
            "",
          ).viaFieldIndex(section, i),
        );
      }
    }
  }
  return errs;
}

function isMatrixed(pt: PipelineTask | undefined): boolean {
  return (pt?.matrix?.params ?? []).length > 0 || (pt?.matrix?.include ?? []).length > 0;
}

function stringResults(results: readonly TaskResult[], name: string): FieldError {
  let errs = FieldError.empty();
  for (const r of results) {
    if (r.name === name && r.type !== "string") {
      errs = errs.also(
        FieldError.invalidValue(
          `Matrixed PipelineTasks emitting results must have an underlying type string, but result ${name} has type ${r.type ?? ""} in pipelineTask`,
          "",
        ),
      );
    }
  }
  return errs;
}

/**
 * `validateTaskResultsFromMatrixedPipelineTasksConsumed`: a matrixed task's results are consumed
 * whole (`[*]`), and are strings. As in Tekton, only the result references of the last param
 * that has any are checked for their type, and the first failing param stops the check.
 */
export function validateMatrixedResultsConsumed(tasks: readonly PipelineTask[]): FieldError {
  const byName = new Map(tasks.map((t) => [t.name, t] as const));
  let refs: ResultRef[] = [];
  for (const t of tasks) {
    for (const p of t.params ?? []) {
      const exprs = paramExpressions(p);
      if (!containsResultRefs(exprs)) continue;
      let errs = FieldError.empty();
      const filtered: string[] = [];
      for (const e of exprs) {
        if (!looksLikeResultRef(e)) continue;
        if (!isMatrixed(byName.get(e.split(".")[1] ?? ""))) continue;
        if (!e.endsWith("[*]")) {
          errs = errs.also(
            FieldError.generic(
              `A matrixed pipelineTask can only be consumed in aggregate using [*] notation, but is currently set to ${e}`,
            ),
          );
        }
        filtered.push(e);
      }
      if (!errs.isEmpty()) return errs;
      refs = resultRefsIn(filtered);
    }
  }
  let errs = FieldError.empty();
  for (const ref of refs) {
    const task = byName.get(ref.pipelineTask);
    if (task?.taskRef != null) {
      const referenced = byName.get(task.taskRef.name ?? "");
      if (referenced?.taskSpec != null)
        errs = errs.also(stringResults(referenced.taskSpec.results ?? [], ref.result));
    } else if (task?.taskSpec != null) {
      errs = errs.also(stringResults(task.taskSpec.results ?? [], ref.result));
    }
  }
  return errs;
}
