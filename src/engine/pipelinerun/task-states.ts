/**
 * The pipeline tasks with what was resolved for each (Task spec, children so far), the results of
 * finished tasks applied to the tasks that reference them, and `when` CEL evaluated.
 */
import { PipelineRunReason } from "../../api/reasons.js";
import type { KubeObject, TaskSpec } from "../../api/types.js";
import type { PipelineRunStatus, PipelineSpec, PipelineTask } from "../../api/pipeline-types.js";
import { replaceInPipelineTask } from "./apply.js";
import { childNames } from "./build.js";
import { evaluateWhenCel } from "./cel.js";
import type { Failure } from "./checks.js";
import { ChildKind } from "./children.js";
import type { DecideInput } from "./decision.js";
import type { Facts } from "./facts.js";
import type { TaskState } from "./task-state.js";
import { combinationCount } from "./matrix.js";
import { arrayIndexError, refReplacements } from "./results.js";
import { resolveRefs } from "./task-results.js";
import { isChildPipeline, isCustomTask, ResolutionError } from "./resolve.js";

function kindOf(pt: PipelineTask): ChildKind {
  if (isChildPipeline(pt)) return ChildKind.PipelineRun;
  return isCustomTask(pt) ? ChildKind.CustomRun : ChildKind.TaskRun;
}

/** Resolves every pipeline task and finds its children (resolvePipelineState). */
export function taskStates(
  input: DecideInput,
  spec: PipelineSpec,
  status: PipelineRunStatus,
): TaskState[] | Failure {
  const pr = input.pr;
  const out: TaskState[] = [];
  const refs = status.childReferences ?? [];
  const all: Array<[PipelineTask, boolean]> = [
    ...(spec.tasks ?? []).map((t): [PipelineTask, boolean] => [t, false]),
    ...(spec.finally ?? []).map((t): [PipelineTask, boolean] => [t, true]),
  ];
  for (const [pt, final] of all) {
    const kind = kindOf(pt);
    const known = refs.filter((r) => r.pipelineTaskName === pt.name && r.kind === kind).map((r) => r.name);
    const names =
      known.length > 0 ? known : childNames(pr.metadata.name ?? "", pt.name, combinationCount(pt.matrix));
    const children = names.map((n) => input.child(kind, n)).filter((c): c is KubeObject => c !== undefined);
    const state: TaskState = { pt, final, kind, names, children, cel: new Map() };
    if (kind === ChildKind.TaskRun) {
      if (pt.taskSpec !== undefined) {
        const { apiVersion: _a, kind: _k, spec: _s, metadata: _m, ...taskSpec } = pt.taskSpec;
        state.spec = taskSpec as TaskSpec;
      } else if (pt.taskRef !== undefined) {
        try {
          const r = input.task(pt);
          state.spec = r.spec;
          state.taskName = r.name;
        } catch (err) {
          if (!(err instanceof ResolutionError)) throw err;
          return {
            reason: PipelineRunReason.CouldntGetTask,
            message: `Pipeline ${pr.metadata.namespace ?? "default"}/${"{pipeline}"} can't be Run; it contains Tasks that don't exist: Couldn't retrieve Task ${JSON.stringify(pt.taskRef.name ?? "")}: ${err.message}`,
          };
        }
      }
    }
    out.push(state);
  }
  return out;
}

/** Applies the results of finished tasks to every task whose references all resolve. */
export function applyResults(facts: Facts, prName: string): Failure | undefined {
  for (const t of facts.tasks) {
    const res = resolveRefs(facts, t);
    if ("error" in res || res.refs.length === 0) continue;
    const bad = arrayIndexError(res.refs);
    if (bad !== undefined) return { reason: PipelineRunReason.InvalidTaskResultReference, message: bad };
    t.pt = replaceInPipelineTask(t.pt, refReplacements(res.refs), true);
    // A matrix fed by results fans out only now that they are known.
    if (t.children.length === 0) t.names = childNames(prName, t.pt.name, combinationCount(t.pt.matrix));
    if (t.kind === ChildKind.TaskRun && t.pt.taskSpec !== undefined) {
      const { apiVersion: _a, kind: _k, spec: _s, metadata: _m, ...taskSpec } = t.pt.taskSpec;
      t.spec = taskSpec as TaskSpec;
    }
  }
  facts.resetSkips();
  return undefined;
}

export function evaluateCel(facts: Facts, enabled: boolean): void {
  if (!enabled) return;
  for (const t of facts.tasks) t.cel = evaluateWhenCel((t.pt.when ?? []).map((w) => w.cel ?? ""));
}
