/**
 * One attempt of a `task`-style custom task: its work runs in the background with an AbortSignal,
 * and its outcome (or error) becomes the attempt's status unless the attempt was aborted first.
 */
import { isDone, succeededCondition } from "../../api/conditions.js";
import type { CustomRunStatus } from "../../api/types.js";
import type {
  CustomTaskContext,
  CustomTaskDefinition,
  CustomTaskOutcome,
} from "../../customtasks/controller.js";
import { retryCountOf, runKey, workspacesOf, type AnyCustomRun } from "../../customtasks/run-view.js";
import type { ResourceType } from "../../store/index.js";
import type { Clock } from "../clock.js";
import { baseContext, frozenCopy, toFailure } from "./contexts.js";
import { preflight } from "./preflight.js";
import type { createRunLogger } from "./run-log.js";
import { successStatus } from "./decisions.js";
import { failAttempt, markRunning, reasonsFor } from "./status.js";

export interface ActiveAttempt {
  abort: AbortController;
  type: ResourceType;
  retryCount: number;
  startTime: string | undefined;
  done: Promise<void>;
}

/** What a task attempt needs from its reconciler. */
export interface TaskAttemptHost {
  clock: Clock;
  /** The running attempts by run key; an attempt adds itself and removes itself when it ends. */
  active: Map<string, ActiveAttempt>;
  writeStatus(
    type: ResourceType,
    ns: string,
    name: string,
    next: (run: AnyCustomRun) => CustomRunStatus | undefined,
  ): AnyCustomRun | undefined;
  logger(run: AnyCustomRun, k: string): ReturnType<typeof createRunLogger>;
  enqueue(kind: string, ns: string, name: string): void;
  onError?: ((key: string, err: unknown) => void) | undefined;
}

export function continueTask(
  host: TaskAttemptHost,
  k: string,
  type: ResourceType,
  run: AnyCustomRun,
  controller: CustomTaskDefinition,
): void {
  if (host.active.has(k)) return;
  const reasons = reasonsFor(run);
  const { namespace: ns, name } = runKey(run);
  const now = (): Date => host.clock.now();
  if (succeededCondition(run.status)?.reason === reasons.Running) {
    // The attempt belonged to a previous tektite process that is gone.
    const failure = {
      reason: reasons.Failed,
      message: `${run.kind} "${name}" was interrupted: the tektite process running it stopped before it finished`,
    };
    host.writeStatus(type, ns, name, (t) =>
      isDone(t)
        ? undefined
        : failAttempt(t, t.status ?? {}, failure, {
            retriesSupported: controller.supports.retries,
            now: now(),
          }),
    );
    return;
  }
  const pre = preflight(run, controller);
  const started = host.writeStatus(type, ns, name, (t) =>
    markRunning(t.status ?? {}, { reason: reasons.Running }, now()),
  );
  if (started === undefined) return;
  const abort = new AbortController();
  const log = host.logger(started, k);
  const ctx: CustomTaskContext<undefined> = {
    ...baseContext(started, { now, log }),
    params: pre.ok ? pre.params : {},
    workspaces: controller.supports.workspaces ? frozenCopy(workspacesOf(started)) : [],
    signal: abort.signal,
  };
  const attempt: ActiveAttempt = {
    abort,
    type,
    retryCount: retryCountOf(started.status),
    startTime: started.status?.startTime,
    done: Promise.resolve(),
  };
  host.active.set(k, attempt);
  const work = (async () => (controller.run as (c: CustomTaskContext<undefined>) => unknown)(ctx))();
  attempt.done = work
    .then(
      (outcome) =>
        finishTask(host, attempt, started, controller, {
          ok: true,
          outcome: (outcome ?? {}) as CustomTaskOutcome,
        }),
      (err: unknown) => finishTask(host, attempt, started, controller, { ok: false, err }),
    )
    .catch((err: unknown) => host.onError?.(k, err))
    .finally(() => {
      if (host.active.get(k) === attempt) host.active.delete(k);
      host.enqueue(type.kind, ns, name);
    });
}

function finishTask(
  host: TaskAttemptHost,
  attempt: ActiveAttempt,
  run: AnyCustomRun,
  controller: CustomTaskDefinition,
  end: { ok: true; outcome: CustomTaskOutcome } | { ok: false; err: unknown },
): void {
  if (attempt.abort.signal.aborted) return; // the abort already wrote the outcome
  const now = host.clock.now();
  const reasons = reasonsFor(run);
  const { namespace: ns, name } = runKey(run);
  host.writeStatus(attempt.type, ns, name, (t) => {
    const current =
      isDone(t) || retryCountOf(t.status) !== attempt.retryCount || t.status?.startTime !== attempt.startTime;
    if (current) return undefined;
    const status = t.status ?? {};
    if (!end.ok) {
      return failAttempt(t, status, toFailure(end.err, reasons), {
        retriesSupported: controller.supports.retries,
        now,
      });
    }
    return successStatus(t, status, end.outcome, now);
  });
}
