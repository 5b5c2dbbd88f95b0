/**
 * What one reconcile of a PipelineRun reads (`DecideInput`) and what it decides (`Decision`): the
 * status to write, the children to create and cancel, and when to look again.
 */
import { CustomRunMessage, TaskRunMessage, type PipelineRunReason } from "../../api/reasons.js";
import type { KubeObject, PersistentVolumeClaim } from "../../api/types.js";
import type { PipelineRun, PipelineRunStatus, PipelineTask } from "../../api/pipeline-types.js";
import type { Failure } from "./checks.js";
import { ChildKind } from "./children.js";
import type { ResolvedPipeline, ResolvedTaskRef } from "./resolve.js";
import { withCondition } from "./status.js";

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
  /**
   * `status.provenance`: the feature flags to record, or null when `enable-provenance-in-status`
   * is off (nothing recorded). Undefined records only the `refSource`.
   */
  provenanceFlags?: Readonly<Record<string, unknown>> | null;
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

export const none = (): Decision => ({ create: [], claims: [], cancel: [] });

/** The message a cancelled child carries. */
export function cancelMessage(kind: ChildKind, timeout: boolean): string {
  if (kind === ChildKind.CustomRun)
    return timeout ? CustomRunMessage.CancelledByPipelineTimeout : CustomRunMessage.CancelledByPipeline;
  return timeout ? TaskRunMessage.CancelledByPipelineTimeout : TaskRunMessage.CancelledByPipeline;
}

export function failed(pr: PipelineRun, status: PipelineRunStatus, f: Failure, now: Date): Decision {
  return { ...none(), status: withCondition(status, { status: "False", ...f }, now) };
}

export function childRefsToCancel(status: PipelineRunStatus, tasks?: ReadonlySet<string>): CancelAction[] {
  return (status.childReferences ?? [])
    .filter((c) => tasks === undefined || tasks.has(c.pipelineTaskName))
    .filter(
      (c) =>
        c.kind === ChildKind.TaskRun || c.kind === ChildKind.CustomRun || c.kind === ChildKind.PipelineRun,
    )
    .map((c) => ({ kind: c.kind as ChildKind, name: c.name, timeout: false }));
}

/** `PipelineRun <ns>/<name> awaiting remote resource` while a remote ref resolves. */
export function awaitingRemote(
  status: PipelineRunStatus,
  reason: typeof PipelineRunReason.ResolvingPipelineRef | typeof PipelineRunReason.ResolvingTaskRef,
  pr: PipelineRun,
  now: Date,
): Decision {
  const message = `PipelineRun ${pr.metadata.namespace ?? "default"}/${pr.metadata.name ?? ""} awaiting remote resource`;
  return { ...none(), status: withCondition(status, { status: "Unknown", reason, message }, now) };
}
