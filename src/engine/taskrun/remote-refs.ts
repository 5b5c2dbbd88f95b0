/**
 * The remote parts of a TaskRun: its `taskRef` with a resolver, and the steps whose `ref` names a
 * resolver (in the inline spec, the local Task, or the resolved Task). Resolved before the run is
 * prepared; preparation stays synchronous and reads the results from {@link RemoteContent}.
 */
import type { Param, ParamValue, Step, StepAction, Task, TaskRun, TaskSpec } from "../../api/types.js";
import { TaskRunReason } from "../../api/reasons.js";
import type { RefSource } from "../resolution/resolver.js";
import type { RemoteResolver } from "../resolution/remote.js";
import type { RefOwner } from "../resolution/resolver.js";
import { StepActionResolutionError } from "../substitution/index.js";
import { messageOf } from "../resolution/params.js";
import { substituteRefParams } from "../resolution/ref-params.js";

export interface RemoteContent {
  task?: { task: Task; refSource: RefSource };
  /** By step index. */
  stepActions: Map<number, { action: StepAction; refSource: RefSource }>;
}

export type ResolvingReason =
  typeof TaskRunReason.ResolvingTaskRef | typeof TaskRunReason.ResolvingStepActionRef;

const remoteStep = (s: Step): boolean => (s.ref?.resolver ?? "") !== "";

/** Whether preparing `tr` needs remote resolution first (`localTask`: the referenced local Task). */
export function needsRemote(tr: TaskRun, localTask: Task | undefined): boolean {
  if ((tr.spec.taskRef?.resolver ?? "") !== "") return true;
  const spec = tr.spec.taskSpec ?? localTask?.spec;
  return (spec?.steps ?? []).some(remoteStep);
}

function stringValues(
  specs: TaskSpec["params"],
  given: readonly Param[] | undefined,
): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const s of specs ?? []) if (s.default !== undefined) out.set(s.name, s.default);
  for (const p of given ?? []) out.set(p.name, p.value);
  return out;
}

function taskRunContext(tr: TaskRun): Record<string, string> {
  return {
    "context.taskRun.name": tr.metadata.name ?? "",
    "context.taskRun.namespace": tr.metadata.namespace ?? "default",
    "context.taskRun.uid": tr.metadata.uid ?? "",
  };
}

function ownerOf(tr: TaskRun): RefOwner {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    name: tr.metadata.name ?? "",
    namespace: tr.metadata.namespace ?? "default",
    uid: tr.metadata.uid ?? "",
  };
}

/**
 * Resolves what `tr` needs. `onPhase` reports which reason the run waits with.
 * @throws ResolutionError, ResolvedResourceInvalidError, StepActionResolutionError.
 */
export async function resolveRemote(
  tr: TaskRun,
  localTask: Task | undefined,
  remote: RemoteResolver,
  signal: AbortSignal,
  onPhase: (reason: ResolvingReason) => void,
): Promise<RemoteContent> {
  const out: RemoteContent = { stepActions: new Map() };
  const owner = ownerOf(tr);
  const ref = tr.spec.taskRef;
  let spec = tr.spec.taskSpec ?? localTask?.spec;
  if (ref?.resolver) {
    onPhase(TaskRunReason.ResolvingTaskRef);
    const params = substituteRefParams(
      ref.params,
      stringValues(undefined, tr.spec.params),
      taskRunContext(tr),
    );
    const urlName = ref.name !== undefined && /[\w-]+:\/\/*/.test(ref.name) ? ref.name : undefined;
    const got = await remote.resolve(
      { resolver: ref.resolver, params, ...(urlName ? { url: urlName } : {}) },
      owner,
      "Task",
      signal,
    );
    out.task = { task: got.object as Task, refSource: got.refSource };
    spec = out.task.task.spec;
  }
  const steps = spec?.steps ?? [];
  if (!steps.some(remoteStep)) return out;
  onPhase(TaskRunReason.ResolvingStepActionRef);
  const values = stringValues(spec?.params, tr.spec.params);
  await Promise.all(
    steps.map(async (step, index) => {
      if (!remoteStep(step)) return;
      const params = substituteRefParams(step.ref?.params, values, taskRunContext(tr));
      try {
        const got = await remote.resolve(
          { resolver: step.ref?.resolver ?? "", params },
          owner,
          "StepAction",
          signal,
        );
        out.stepActions.set(index, { action: got.object as StepAction, refSource: got.refSource });
      } catch (err) {
        if (signal.aborted) throw err;
        throw new StepActionResolutionError(step.name ?? "", index, messageOf(err));
      }
    }),
  );
  return out;
}
