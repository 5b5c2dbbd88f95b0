/**
 * The TaskRuns whose remote Task/StepActions are being resolved, by run key. A resolution runs
 * in the background with its own AbortSignal; when it settles, `onSettled` asks for a reconcile,
 * which then reads the content or the failure with {@link Resolutions.outcome}.
 */
import type { StepState, Task, TaskRun } from "../../api/types.js";
import type { RemoteResolver } from "../resolution/remote.js";
import { resolveRemote, type RemoteContent, type ResolvingReason } from "./remote-refs.js";

interface Entry {
  controller: AbortController;
  done: Promise<void>;
  content?: RemoteContent;
  error?: unknown;
}

export type ResolutionOutcome =
  | { state: "absent" }
  | { state: "pending" }
  | { state: "failed"; error: unknown }
  | { state: "resolved"; content: RemoteContent };

export class Resolutions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly remote: RemoteResolver) {}

  outcome(key: string): ResolutionOutcome {
    const e = this.entries.get(key);
    if (e === undefined) return { state: "absent" };
    if (e.error !== undefined) return { state: "failed", error: e.error };
    if (e.content !== undefined) return { state: "resolved", content: e.content };
    return { state: "pending" };
  }

  start(
    key: string,
    tr: TaskRun,
    localTask: Task | undefined,
    onPhase: (reason: ResolvingReason) => void,
    onSettled: () => void,
  ): void {
    const controller = new AbortController();
    const entry: Entry = { controller, done: Promise.resolve() };
    this.entries.set(key, entry);
    entry.done = resolveRemote(tr, localTask, this.remote, controller.signal, onPhase)
      .then(
        (content) => {
          entry.content = content;
        },
        (err: unknown) => {
          entry.error = err;
        },
      )
      .finally(() => {
        if (this.entries.get(key) === entry && !controller.signal.aborted) onSettled();
      });
  }

  /** Forgets a run's resolution, aborting it if it is still going. */
  drop(key: string): void {
    this.entries.get(key)?.controller.abort(new Error("the TaskRun no longer needs its remote resources"));
    this.entries.delete(key);
  }

  /** Resolutions still going, to wait for. */
  inFlight(): Promise<void>[] {
    return [...this.entries.values()]
      .filter((e) => e.content === undefined && e.error === undefined)
      .map((e) => e.done);
  }

  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    for (const e of all) e.controller.abort(new Error("tektite is shutting down"));
    this.entries.clear();
    await Promise.allSettled(all.map((e) => e.done));
  }
}

/** Step states keep the `provenance` of their StepAction from the initial states. */
export function withProvenance(steps: StepState[], initial: readonly StepState[]): StepState[] {
  if (!initial.some((s) => s.provenance !== undefined)) return steps;
  return steps.map((s, i) => {
    const provenance = initial[i]?.provenance;
    return provenance !== undefined && s.provenance === undefined ? { ...s, provenance } : s;
  });
}
