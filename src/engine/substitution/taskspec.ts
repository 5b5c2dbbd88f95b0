/**
 * Substitution of a resolved TaskSpec before it runs (docs/tekton-semantics.md#substitution). Each phase is a
 * separate pass, so a value inserted by an early phase can be expanded by a later one, but
 * never by its own phase. The result of phases 1–6 is what `status.taskSpec` shows.
 */
import type { ParamValue, TaskSpec, WorkspaceBinding } from "../../api/types.js";
import { copySpec, replaceInTaskSpec, replaceStepFields } from "./fields.js";
import { paramReplacements } from "./params.js";
import { stepDirName } from "../../api/pod-paths.js";
import { joinPath, pathRoots, type PathRoots } from "./paths.js";
import { stringReplacements } from "./replace.js";
import {
  applyVolumeClaimTemplates,
  applyWorkspaceVariables,
  propagateWorkspaceDeclarations,
} from "./workspaces.js";

/** Everything the TaskSpec phases need to know about the TaskRun. */
export interface SubstitutionContext {
  /** Effective param values, from `resolveParams`. */
  params: ReadonlyMap<string, ParamValue>;
  taskRun: { name: string; namespace: string; uid: string };
  /** `$(context.task.name)`: the Task's name for a taskRef, the TaskRun's name for an inline spec. */
  taskName: string;
  /** `$(context.task.retry-count)`: the number of earlier attempts (`status.retriesStatus` length). */
  retryCount: number;
  /**
   * The TaskRun's workspace bindings, after param substitution (`substituteWorkspaceBindings`).
   * volumeClaimTemplate bindings are turned into claims named from `taskRun.uid`.
   */
  workspaces?: readonly WorkspaceBinding[];
  /** Directory roots for path variables; Tekton's container paths by default. */
  paths?: Partial<PathRoots>;
}

/** Phase 1: `$(params…)` in all its forms, with array splicing where allowed. */
export function applyParameters(spec: TaskSpec, params: ReadonlyMap<string, ParamValue>): TaskSpec {
  return replaceInTaskSpec(spec, paramReplacements(params));
}

/** Phase 2: `$(context.taskRun.name|namespace|uid)`, `$(context.task.name|retry-count)`. */
export function applyContext(
  spec: TaskSpec,
  ctx: Pick<SubstitutionContext, "taskRun" | "taskName" | "retryCount">,
): TaskSpec {
  return replaceInTaskSpec(
    spec,
    stringReplacements([
      ["context.taskRun.name", ctx.taskRun.name],
      ["context.task.name", ctx.taskName],
      ["context.taskRun.namespace", ctx.taskRun.namespace],
      ["context.taskRun.uid", ctx.taskRun.uid],
      ["context.task.retry-count", String(ctx.retryCount)],
    ]),
  );
}

function bracketForms(prefix: string, name: string, suffix: string): string[] {
  return [`${prefix}.${name}${suffix}`, `${prefix}["${name}"]${suffix}`, `${prefix}['${name}']${suffix}`];
}

/**
 * Phase 3: `$(step.results.<r>.path)` in each step declaring `r` (steps only), then
 * `$(results.<r>.path)` for declared task results everywhere. Bracket forms included.
 */
export function applyResultPaths(spec: TaskSpec, paths?: Partial<PathRoots>): TaskSpec {
  const roots = pathRoots(paths);
  const out = copySpec(spec);
  (out.steps ?? []).forEach((step, i) => {
    const dir = stepDirName(step.name, i);
    const entries: Array<[string, string]> = [];
    for (const r of step.results ?? []) {
      const value = joinPath(roots.steps, dir, "results", r.name);
      for (const key of bracketForms("step.results", r.name, ".path")) entries.push([key, value]);
    }
    replaceStepFields(step, stringReplacements(entries));
  });
  const entries: Array<[string, string]> = [];
  for (const r of out.results ?? []) {
    const value = joinPath(roots.results, r.name);
    for (const key of bracketForms("results", r.name, ".path")) entries.push([key, value]);
  }
  return replaceInTaskSpec(out, stringReplacements(entries));
}

/** Phase 4: `$(step.artifacts.path)` and `$(artifacts.path)`, in steps only. */
export function applyArtifactPaths(spec: TaskSpec, paths?: Partial<PathRoots>): TaskSpec {
  const roots = pathRoots(paths);
  const out = copySpec(spec);
  (out.steps ?? []).forEach((step, i) => {
    replaceStepFields(
      step,
      stringReplacements([
        [
          "step.artifacts.path",
          joinPath(roots.steps, stepDirName(step.name, i), "artifacts", "provenance.json"),
        ],
        ["artifacts.path", joinPath(roots.artifacts, "provenance.json")],
      ]),
    );
  });
  return out;
}

/** Phase 5: `$(steps.step-<name>.exitCode.path)` / `$(steps.step-unnamed-<i>.exitCode.path)`. */
export function applyExitCodePaths(spec: TaskSpec, paths?: Partial<PathRoots>): TaskSpec {
  const roots = pathRoots(paths);
  const entries = (spec.steps ?? []).map((step, i): [string, string] => {
    const dir = stepDirName(step.name, i);
    return [`steps.${dir}.exitCode.path`, joinPath(roots.steps, dir, "exitCode")];
  });
  return replaceInTaskSpec(spec, stringReplacements(entries));
}

/**
 * Phase 6: appends a declaration for every binding the spec does not declare, then replaces
 * `$(workspaces.<w>.path|bound|claim|volume)`.
 */
export function applyWorkspaces(
  spec: TaskSpec,
  ctx: Pick<SubstitutionContext, "workspaces" | "taskRun" | "paths">,
): TaskSpec {
  const bindings = applyVolumeClaimTemplates(ctx.workspaces ?? [], ctx.taskRun.uid);
  const out = copySpec(spec);
  const declarations = propagateWorkspaceDeclarations(out.workspaces, bindings);
  if (declarations.length > 0) out.workspaces = declarations;
  return applyWorkspaceVariables(out, bindings, pathRoots(ctx.paths).workspace);
}

/**
 * Phases 1–6 in Tekton's order: params, context, task/step result paths, artifact paths,
 * exitCode paths, workspaces. The result is what `status.taskSpec` holds (StepActions must be
 * inlined first; `$(credentials.path)` stays literal; stepTemplate is not merged).
 */
export function substituteTaskSpec(spec: TaskSpec, ctx: SubstitutionContext): TaskSpec {
  let out = applyParameters(spec, ctx.params);
  out = applyContext(out, ctx);
  out = applyResultPaths(out, ctx.paths);
  out = applyArtifactPaths(out, ctx.paths);
  out = applyExitCodePaths(out, ctx.paths);
  return applyWorkspaces(out, ctx);
}

/** Phase 7, applied to the copy that builds the pod: `$(credentials.path)`. */
export function substituteCredentialsPath(spec: TaskSpec, paths?: Partial<PathRoots>): TaskSpec {
  return replaceInTaskSpec(spec, stringReplacements([["credentials.path", pathRoots(paths).creds]]));
}
