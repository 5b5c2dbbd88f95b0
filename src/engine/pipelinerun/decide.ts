/**
 * One reconcile of a PipelineRun as a pure decision (`decide(input, now) → actions`), following
 * Tekton's `ReconcileKind`/`reconcile`/`runNextSchedulableTask`: start, pending, cancel, resolve,
 * check, schedule DAG then finally tasks, time out, and compute the status.
 */
import { formatGoDuration } from "../../api/duration.js";
import { PipelineLabel, PipelineRunReason, USER_ERROR_PREFIX } from "../../api/reasons.js";
import { PipelineRunSpecStatus } from "../../api/pipeline-types.js";
import type { PipelineRunStatus } from "../../api/pipeline-types.js";
import { buildDag, DagError } from "../../api/dag.js";
import { applyPipelineRun } from "./apply.js";
import { claimsFor, type BuildContext } from "./build.js";
import { settledPipelineLabel } from "./pipeline-label.js";
import { CelEvaluationError } from "./cel.js";
import { checkInputs, checkOptionalWorkspaces, checkResultReferences } from "./checks.js";
import {
  awaitingRemote,
  childRefsToCancel,
  failed,
  none,
  type DecideInput,
  type Decision,
} from "./decision.js";
import { Facts } from "./facts.js";
import { pipelineCondition } from "./condition.js";
import { pipelineResults } from "./results.js";
import {
  RemoteResolutionError,
  ResolutionError,
  ResolutionPending,
  type ResolvedPipeline,
} from "./resolve.js";
import { schedule } from "./schedule.js";
import { childReferences, skippedTasks } from "./status-report.js";
import {
  cancelledCondition,
  isPipelineRunDone,
  isPipelineRunPending,
  markStarted,
  pendingCondition,
  withCondition,
} from "./status.js";
import { applyResults, evaluateCel, taskStates } from "./task-states.js";
import { nextDeadline, timeoutCancels, timeoutFacts, timeoutsOf } from "./timeouts.js";

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
  if (input.provenanceFlags !== null) {
    const provenance = {
      ...(status.provenance ?? {}),
      ...(pipeline.refSource !== undefined ? { refSource: pipeline.refSource } : {}),
      ...(input.provenanceFlags !== undefined ? { featureFlags: input.provenanceFlags } : {}),
    };
    if (Object.keys(provenance).length > 0) status = { ...status, provenance };
  }
  const labels = { ...pipeline.labels, ...(pr.metadata.labels ?? {}) };
  labels[PipelineLabel.Pipeline] =
    pr.status?.pipelineSpec === undefined
      ? settledPipelineLabel(pr, pipeline, labels[PipelineLabel.Pipeline])
      : (labels[PipelineLabel.Pipeline] ?? pipeline.name);
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
          message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name}'s Pipeline DAG is invalid: ${err.message}`,
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
          message: `${USER_ERROR_PREFIX}PipelineRun ${ns}/${name}'s Pipeline DAG is invalid for finally clause: ${err.message}`,
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
  const timeouts = timeoutFacts(t, status);
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
          message: `${USER_ERROR_PREFIX}Error evaluating CEL ${name}: ${err.message}`,
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
    // Children carry the labels and annotations merged from the Pipeline on this very reconcile.
    pr: { ...pr, metadata: { ...pr.metadata, labels, annotations } },
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
