/**
 * Which children to create now (Tekton's `runNextSchedulableTask`): the DAG tasks whose parents
 * are done, then the finally tasks once the DAG is done, each with its contexts substituted.
 */
import { formatGoDuration } from "../../api/duration.js";
import { PipelineRunReason } from "../../api/reasons.js";
import type { TaskSpec } from "../../api/types.js";
import type { PipelineRunStatus, PipelineTask } from "../../api/pipeline-types.js";
import { rfc3339 } from "../../api/time.js";
import {
  applyReplacements,
  emptyReplacements,
  replaceInTaskSpec,
  replaceParams,
} from "../substitution/index.js";
import { replaceInPipelineTask } from "./apply.js";
import { buildChildren, WorkspaceBindingError, type BuildContext } from "./build.js";
import { CelEvaluationError } from "./cel.js";
import type { Failure } from "./checks.js";
import { ChildKind } from "./children.js";
import type { Decision } from "./decision.js";
import { Facts } from "./facts.js";
import { combinationCount, isMatrixed } from "./matrix.js";
import { artifactReplacements, refReplacements } from "./results.js";
import { matrixResults, resolveRefs } from "./task-results.js";
import { USER_ERROR_PREFIX } from "../../api/reasons.js";
import { evaluateCel } from "./task-states.js";
import type { TimeoutTexts } from "./timeouts.js";

/** runNextSchedulableTask: the DAG queue, then the finally queue once the DAG is done. */
export function schedule(
  facts: Facts,
  decision: Decision,
  ctx: BuildContext,
  t: TimeoutTexts,
  now: Date,
  update: (f: (s: PipelineRunStatus) => PipelineRunStatus) => void,
): Failure | undefined {
  let next = facts.dagQueue();
  for (const rpt of next) {
    const res = resolveRefs(facts, rpt);
    if (!("error" in res)) continue;
    if (facts.skip(rpt).skipped) continue;
    next = [];
    const src = facts.byName.get(res.task);
    const message =
      src !== undefined && facts.successful(src) && res.error.startsWith("Invalid task result reference")
        ? missingResultMessage(res.task, res.error, rpt.pt.name)
        : res.error;
    facts.validationFailed.set(rpt.pt.name, message);
  }
  facts.resetSkips();
  const finals = facts.finalQueue();
  if (finals.length > 0) {
    const statuses = facts.taskStatuses();
    const r = emptyReplacements();
    for (const [k, v] of statuses) r.strings.set(k, v);
    for (const f of finals) {
      f.pt = replaceInPipelineTask(f.pt, r, true);
      if (f.kind === ChildKind.TaskRun && f.pt.taskSpec !== undefined) {
        const { apiVersion: _a, kind: _k, spec: _s, metadata: _m, ...taskSpec } = f.pt.taskSpec;
        f.spec = taskSpec as TaskSpec;
      }
      const res = resolveRefs(facts, f);
      if ("error" in res) continue;
      f.pt = replaceInPipelineTask(f.pt, refReplacements(res.refs), true);
      if (f.kind === ChildKind.TaskRun && f.pt.taskSpec !== undefined) {
        const { apiVersion: _a, kind: _k, spec: _s, metadata: _m, ...taskSpec } = f.pt.taskSpec;
        f.spec = taskSpec as TaskSpec;
      }
    }
    try {
      evaluateCel(new Facts(finals, facts.graph, facts.finalGraph, undefined, facts.timeouts, 0), true);
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
      return {
        reason: PipelineRunReason.CELEvaluationFailed,
        message: `${USER_ERROR_PREFIX}Error evaluating CEL ${ctx.pr.metadata.name ?? ""}: ${err.message}`,
      };
    }
    next = [...next, ...finals];
    update((s) => (s.finallyStartTime !== undefined ? s : { ...s, finallyStartTime: rfc3339(now) }));
    if (facts.timeouts.finallyStartMs === undefined) facts.timeouts.finallyStartMs = now.getTime();
  }
  for (const rpt of next) {
    if (facts.skip(rpt).skipped || facts.finallySkip(rpt).skipped) continue;
    rpt.pt = applyTaskContexts(rpt.pt, facts);
    if (rpt.kind === ChildKind.TaskRun && rpt.spec !== undefined && rpt.taskName === undefined)
      rpt.spec = replaceInTaskSpec(rpt.spec, artifactReplacements(facts));
    const run = rpt.final ? t.finally : t.tasks;
    const bctx = { ...ctx, runTimeout: run !== undefined ? formatGoDuration(run) : undefined };
    try {
      const objs = buildChildren(bctx, rpt);
      decision.create.push(...objs);
      rpt.children = objs;
    } catch (err) {
      if (!(err instanceof WorkspaceBindingError)) throw err;
      return { reason: PipelineRunReason.CreateRunFailed, message: err.message };
    }
  }
  return undefined;
}

function missingResultMessage(task: string, error: string, target: string): string {
  const m = /Could not find result with name (\S+) /.exec(error);
  return `task ${JSON.stringify(task)} completed successfully but did not emit the result ${JSON.stringify(m?.[1] ?? "")}, which is referenced by task ${JSON.stringify(target)}`;
}

/**
 * `$(context.pipelineTask.retries)`, `$(tasks.<t>.matrix.length)` and
 * `$(tasks.<t>.matrix.<result>.length)` in a task's params, just before its children are built
 * (ApplyPipelineTaskContexts).
 */
function applyTaskContexts(pt: PipelineTask, facts: Facts): PipelineTask {
  const r = emptyReplacements();
  r.strings.set("context.pipelineTask.retries", String(pt.retries ?? 0));
  for (const t of facts.tasks) {
    if (!isMatrixed(t.pt.matrix)) continue;
    r.strings.set(`tasks.${t.pt.name}.matrix.length`, String(combinationCount(t.pt.matrix)));
    for (const [result, values] of matrixResults(t))
      r.strings.set(`tasks.${t.pt.name}.matrix.${result}.length`, String(values.length));
  }
  const out = structuredClone(pt);
  if (out.params) out.params = replaceParams(out.params, r);
  if (out.matrix?.params) out.matrix.params = replaceParams(out.matrix.params, r);
  for (const inc of out.matrix?.include ?? []) if (inc.params) inc.params = replaceParams(inc.params, r);
  if (out.displayName !== undefined) out.displayName = applyReplacements(out.displayName, r.strings);
  return out;
}
