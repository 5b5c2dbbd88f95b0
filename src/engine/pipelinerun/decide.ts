/**
 * One reconcile of a PipelineRun as a pure decision (`decide(input, now) → actions`), following
 * Tekton's `ReconcileKind`/`reconcile`/`runNextSchedulableTask`: start, pending, cancel, resolve,
 * check, schedule DAG then finally tasks, time out, and compute the status.
 */
import { durationToMs, formatGoDuration, parseGoDuration } from "../../api/duration.js";
import { CustomRunMessage, PipelineRunReason, TaskRunMessage } from "../../api/reasons.js";
import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import type { KubeObject, PersistentVolumeClaim, TaskSpec } from "../../api/types.js";
import {
  applyReplacements,
  emptyReplacements,
  replaceInTaskSpec,
  replaceParams,
} from "../substitution/index.js";
import { applyPipelineRun, replaceInPipelineTask } from "./apply.js";
import { buildChildren, childNames, claimsFor, WorkspaceBindingError, type BuildContext } from "./build.js";
import { CelEvaluationError, evaluateWhenCel } from "./cel.js";
import { checkInputs, checkOptionalWorkspaces, checkResultReferences, type Failure } from "./checks.js";
import { ChildKind, childDone } from "./children.js";
import { buildDag, DagError } from "../../api/dag.js";
import { Facts, pipelineCondition, type TaskState, type Timeouts } from "./facts.js";
import { combinationCount, isMatrixed } from "./matrix.js";
import {
  artifactReplacements,
  arrayIndexError,
  matrixResults,
  pipelineResults,
  refReplacements,
  resolveRefs,
} from "./results.js";
import {
  isChildPipeline,
  isCustomTask,
  RemoteResolutionError,
  ResolutionError,
  ResolutionPending,
  type ResolvedPipeline,
  type ResolvedTaskRef,
} from "./resolve.js";
import {
  cancelledCondition,
  isPipelineRunDone,
  isPipelineRunPending,
  markStarted,
  pendingCondition,
  UserErrorLabel,
  withCondition,
} from "./status.js";
import type {
  ChildStatusReference,
  PipelineRun,
  PipelineRunStatus,
  PipelineSpec,
  PipelineTask,
} from "../../api/pipeline-types.js";
import { rfc3339 } from "../../api/time.js";

export interface DecideInput {
  pr: PipelineRun;
  /** The resolved pipeline, or why it could not be found. */
  pipeline: () => ResolvedPipeline;
  /** The Task of a Tekton `taskRef` (throws ResolutionError). */
  task: (pt: PipelineTask) => ResolvedTaskRef;
  /** An existing child by kind and name. */
  child: (kind: ChildKind, name: string) => KubeObject | undefined;
  defaultTimeoutMinutes: number;
  celInWhen: boolean;
}

export interface CancelAction {
  kind: ChildKind;
  name: string;
  /** The `spec.statusMessage` Tekton writes. */
  timeout: boolean;
}

export interface Decision {
  /** The status to write (undefined: unchanged). */
  status?: PipelineRunStatus;
  /** Labels and annotations to merge onto the PipelineRun (the pipeline's, `tekton.dev/pipeline`). */
  metadata?: { labels: Record<string, string>; annotations: Record<string, string> };
  create: KubeObject[];
  claims: PersistentVolumeClaim[];
  cancel: CancelAction[];
  /** Reconcile again after this many milliseconds (a timeout falls due). */
  wakeInMs?: number;
}

const none = (): Decision => ({ create: [], claims: [], cancel: [] });

/** The message a cancelled child carries. */
export function cancelMessage(kind: ChildKind, timeout: boolean): string {
  if (kind === ChildKind.CustomRun)
    return timeout ? CustomRunMessage.CancelledByPipelineTimeout : CustomRunMessage.CancelledByPipeline;
  return timeout ? TaskRunMessage.CancelledByPipelineTimeout : TaskRunMessage.CancelledByPipeline;
}

function failed(pr: PipelineRun, status: PipelineRunStatus, f: Failure, now: Date): Decision {
  return { ...none(), status: withCondition(status, { status: "False", ...f }, now) };
}

interface TimeoutTexts {
  pipeline: bigint;
  tasks?: bigint;
  finally?: bigint;
}

function timeoutsOf(pr: PipelineRun, defaultMinutes: number): TimeoutTexts {
  const t = pr.spec.timeouts ?? {};
  const pipeline =
    t.pipeline !== undefined ? parseGoDuration(t.pipeline) : BigInt(defaultMinutes) * 60_000_000_000n;
  let tasks = t.tasks !== undefined ? parseGoDuration(t.tasks) : undefined;
  let fin = t.finally !== undefined ? parseGoDuration(t.finally) : undefined;
  if (tasks === undefined && t.pipeline !== undefined && fin !== undefined && pipeline !== 0n && fin !== 0n)
    tasks = pipeline - fin;
  if (fin === undefined && t.pipeline !== undefined && tasks !== undefined && pipeline !== 0n && tasks !== 0n)
    fin = pipeline - tasks;
  return {
    pipeline,
    ...(tasks !== undefined ? { tasks } : {}),
    ...(fin !== undefined ? { finally: fin } : {}),
  };
}

function childRefsToCancel(status: PipelineRunStatus, tasks?: ReadonlySet<string>): CancelAction[] {
  return (status.childReferences ?? [])
    .filter((c) => tasks === undefined || tasks.has(c.pipelineTaskName))
    .filter(
      (c) =>
        c.kind === ChildKind.TaskRun || c.kind === ChildKind.CustomRun || c.kind === ChildKind.PipelineRun,
    )
    .map((c) => ({ kind: c.kind as ChildKind, name: c.name, timeout: false }));
}

function kindOf(pt: PipelineTask): ChildKind {
  if (isChildPipeline(pt)) return ChildKind.PipelineRun;
  return isCustomTask(pt) ? ChildKind.CustomRun : ChildKind.TaskRun;
}

/** Resolves every pipeline task and finds its children (resolvePipelineState). */
function taskStates(
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
function applyResults(facts: Facts, prName: string): Failure | undefined {
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

function evaluateCel(facts: Facts, enabled: boolean): void {
  if (!enabled) return;
  for (const t of facts.tasks) t.cel = evaluateWhenCel((t.pt.when ?? []).map((w) => w.cel ?? ""));
}

function childReferences(facts: Facts): ChildStatusReference[] {
  const out: ChildStatusReference[] = [];
  for (const t of facts.tasks) {
    for (const c of t.children) {
      const ref: ChildStatusReference = {
        apiVersion: t.kind === ChildKind.CustomRun ? "tekton.dev/v1beta1" : "tekton.dev/v1",
        kind: t.kind,
        name: c.metadata.name ?? "",
        pipelineTaskName: t.pt.name,
      };
      if (t.pt.displayName) ref.displayName = t.pt.displayName;
      if (t.pt.when !== undefined) ref.whenExpressions = t.pt.when;
      out.push(ref);
    }
  }
  return out;
}

function skippedTasks(facts: Facts): NonNullable<PipelineRunStatus["skippedTasks"]> {
  const out: NonNullable<PipelineRunStatus["skippedTasks"]> = [];
  for (const t of facts.tasks) {
    const s = facts.skip(t);
    if (s.skipped)
      out.push({ name: t.pt.name, reason: s.reason, ...(t.pt.when ? { whenExpressions: t.pt.when } : {}) });
    const f = facts.finallySkip(t);
    if (f.skipped)
      out.push({
        name: t.pt.name,
        reason: f.reason,
        ...(f.reason === "When Expressions evaluated to false" && t.pt.when
          ? { whenExpressions: t.pt.when }
          : {}),
      });
  }
  return out;
}

/** `PipelineRun <ns>/<name> awaiting remote resource` while a remote ref resolves. */
function awaitingRemote(
  status: PipelineRunStatus,
  reason: typeof PipelineRunReason.ResolvingPipelineRef | typeof PipelineRunReason.ResolvingTaskRef,
  pr: PipelineRun,
  now: Date,
): Decision {
  const message = `PipelineRun ${pr.metadata.namespace ?? "default"}/${pr.metadata.name ?? ""} awaiting remote resource`;
  return { ...none(), status: withCondition(status, { status: "Unknown", reason, message }, now) };
}

/** Decides one reconcile of a PipelineRun that is not done. */
export function decide(input: DecideInput, now: Date): Decision {
  const pr = input.pr;
  const name = pr.metadata.name ?? "";
  const ns = pr.metadata.namespace ?? "default";
  if (isPipelineRunDone(pr)) return none();
  let status: PipelineRunStatus = pr.status ?? {};
  if (status.startTime === undefined && !isPipelineRunPending(pr)) status = markStarted(status, now);
  if (pr.spec.status === PipelineRunSpecStatus.Cancelled) {
    return {
      ...none(),
      cancel: childRefsToCancel(status),
      status: withCondition(status, cancelledCondition(name), now),
    };
  }
  if (isPipelineRunPending(pr))
    return { ...none(), status: withCondition(status, pendingCondition(name), now) };

  let pipeline: ResolvedPipeline;
  try {
    pipeline = input.pipeline();
  } catch (err) {
    if (err instanceof ResolutionPending)
      return awaitingRemote(status, PipelineRunReason.ResolvingPipelineRef, pr, now);
    if (!(err instanceof ResolutionError)) throw err;
    const detail =
      err instanceof RemoteResolutionError
        ? err.message
        : `error when getting Pipeline for PipelineRun ${name}: ${err.message}`;
    return failed(
      pr,
      status,
      {
        reason: PipelineRunReason.CouldntGetPipeline,
        message: `Error retrieving pipeline for pipelinerun ${ns}/${name}: ${detail}`,
      },
      now,
    );
  }
  if (pipeline.refSource !== undefined) {
    status = { ...status, provenance: { ...(status.provenance ?? {}), refSource: pipeline.refSource } };
  }
  const labels = { ...pipeline.labels, ...(pr.metadata.labels ?? {}) };
  labels["tekton.dev/pipeline"] ??= pipeline.name;
  const annotations = { ...pipeline.annotations, ...(pr.metadata.annotations ?? {}) };
  delete annotations["kubectl.kubernetes.io/last-applied-configuration"];
  const metadata = { labels, annotations };
  const withMeta = (d: Decision): Decision => ({ ...d, metadata });

  const raw = pipeline.spec;
  let graph, finalGraph;
  try {
    graph = buildDag(raw.tasks ?? []);
  } catch (err) {
    if (!(err instanceof DagError)) throw err;
    return withMeta(
      failed(
        pr,
        status,
        {
          reason: PipelineRunReason.InvalidGraph,
          message: `${UserErrorLabel}PipelineRun ${ns}/${name}'s Pipeline DAG is invalid: ${err.message}`,
        },
        now,
      ),
    );
  }
  try {
    finalGraph = buildDag(raw.finally ?? [], { withDeps: false });
  } catch (err) {
    if (!(err instanceof DagError)) throw err;
    return withMeta(
      failed(
        pr,
        status,
        {
          reason: PipelineRunReason.InvalidGraph,
          message: `${UserErrorLabel}PipelineRun ${ns}/${name}'s Pipeline DAG is invalid for finally clause: ${err.message}`,
        },
        now,
      ),
    );
  }
  const inputFailure = checkInputs(pr, raw, pipeline.name);
  if (inputFailure !== undefined) return withMeta(failed(pr, status, inputFailure, now));

  const spec = applyPipelineRun(raw, pr, pipeline.name);
  status = { ...status, pipelineSpec: spec };
  let states: ReturnType<typeof taskStates>;
  try {
    states = taskStates(input, spec, status);
  } catch (err) {
    if (!(err instanceof ResolutionPending)) throw err;
    return withMeta(awaitingRemote(status, PipelineRunReason.ResolvingTaskRef, pr, now));
  }
  if (!Array.isArray(states)) {
    return withMeta(
      failed(pr, status, { ...states, message: states.message.replace("{pipeline}", pipeline.name) }, now),
    );
  }
  const t = timeoutsOf(pr, input.defaultTimeoutMinutes);
  const timeouts: Timeouts = {
    pipelineMs: durationToMs(t.pipeline),
    ...(status.startTime !== undefined ? { startMs: Date.parse(status.startTime) } : {}),
    ...(status.finallyStartTime !== undefined ? { finallyStartMs: Date.parse(status.finallyStartTime) } : {}),
    ...(t.tasks !== undefined ? { tasksMs: durationToMs(t.tasks) } : {}),
    ...(t.finally !== undefined ? { finallyMs: durationToMs(t.finally) } : {}),
  };
  const facts = new Facts(states, graph, finalGraph, pr.spec.status, timeouts, now.getTime());
  const resultFailure = applyResults(facts, name);
  if (resultFailure !== undefined) return withMeta(failed(pr, status, resultFailure, now));
  try {
    evaluateCel(facts, input.celInWhen);
  } catch (err) {
    if (!(err instanceof CelEvaluationError)) throw err;
    return withMeta(
      failed(
        pr,
        status,
        {
          reason: PipelineRunReason.CELEvaluationFailed,
          message: `${UserErrorLabel}Error evaluating CEL ${name}: ${err.message}`,
        },
        now,
      ),
    );
  }

  const decision: Decision = { ...none(), metadata };
  if (pr.spec.status === PipelineRunSpecStatus.CancelledRunFinally && facts.dagRunning()) {
    decision.cancel.push(...childRefsToCancel(status));
  }
  if (facts.beforeFirstChild()) {
    const f = checkResultReferences(facts, spec, name) ?? checkOptionalWorkspaces(facts, spec);
    if (f !== undefined) return withMeta(failed(pr, status, f, now));
    decision.claims = claimsFor(pr);
  }
  const running = (final: boolean): Set<string> =>
    new Set(facts.tasks.filter((s) => s.final === final && facts.running(s)).map((s) => s.pt.name));
  if (status.finallyStartTime === undefined) {
    if (facts.tasksTimedOut()) decision.cancel.push(...timeoutCancels(facts, running(false)));
  } else if (facts.finallyTimedOut()) {
    decision.cancel.push(...timeoutCancels(facts, running(true)));
  }

  const ctx: BuildContext = {
    pr,
    spec,
    pipelineName: pipeline.name,
    defaultTimeoutMinutes: input.defaultTimeoutMinutes,
    runTimeout: undefined,
  };
  const scheduleFailure = schedule(facts, decision, ctx, t, now, (s) => (status = s(status)));
  if (scheduleFailure !== undefined) return withMeta(failed(pr, status, scheduleFailure, now));
  facts.resetSkips();

  if (facts.pipelineTimedOut()) {
    decision.cancel = timeoutCancels(facts);
  }
  const cond = pipelineCondition(facts, name, {
    pipelineTimeout: formatGoDuration(t.pipeline),
    tasksTimeout: t.tasks !== undefined ? formatGoDuration(t.tasks) : "",
  });
  status = withCondition(status, cond, now);
  const refs = childReferences(facts);
  status = { ...status };
  if (refs.length > 0) status.childReferences = refs;
  const skipped = skippedTasks(facts);
  if (skipped.length > 0) status.skippedTasks = skipped;
  else delete status.skippedTasks;
  if (cond.status !== "Unknown") {
    const res = pipelineResults(facts, spec.results);
    if (res.results.length > 0) status.results = res.results;
    if (res.error !== undefined) {
      status = withCondition(
        status,
        {
          status: "False",
          reason: PipelineRunReason.CouldntGetPipelineResult,
          message: `Failed to get PipelineResult from TaskRun Results for PipelineRun ${name}: ${res.error}`,
        },
        now,
      );
    }
  }
  decision.status = status;
  decision.wakeInMs = nextDeadline(facts, now.getTime());
  return decision;
}

function timeoutCancels(facts: Facts, only?: ReadonlySet<string>): CancelAction[] {
  const out: CancelAction[] = [];
  for (const t of facts.tasks) {
    if (only !== undefined && !only.has(t.pt.name)) continue;
    for (const c of t.children) {
      if (!childDone(c)) out.push({ kind: t.kind, name: c.metadata.name ?? "", timeout: true });
    }
  }
  return out;
}

function nextDeadline(facts: Facts, nowMs: number): number | undefined {
  const tm = facts.timeouts;
  const due: number[] = [];
  if (tm.startMs !== undefined && tm.pipelineMs > 0) due.push(tm.startMs + tm.pipelineMs);
  if (tm.startMs !== undefined && tm.tasksMs) due.push(tm.startMs + tm.tasksMs);
  if (tm.finallyStartMs !== undefined && tm.finallyMs) due.push(tm.finallyStartMs + tm.finallyMs);
  const next = due.filter((d) => d >= nowMs).sort((a, b) => a - b)[0];
  return next === undefined ? undefined : next - nowMs + 1;
}

/** runNextSchedulableTask: the DAG queue, then the finally queue once the DAG is done. */
function schedule(
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
        message: `${UserErrorLabel}Error evaluating CEL ${ctx.pr.metadata.name ?? ""}: ${err.message}`,
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
