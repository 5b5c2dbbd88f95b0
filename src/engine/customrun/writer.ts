/**
 * Status writes of the custom-run reconciler, through the status subresource. It remembers which
 * run it is writing while the store delivers the (synchronous) watch event, so the reconciler can
 * tell its own writes from everyone else's.
 *
 * @module
 */
import type { CustomRunStatus } from "../../api/types.js";
import { runKey, type AnyCustomRun } from "../../customtasks/run-view.js";
import { ConflictError, type ResourceType, type Store } from "../../store/index.js";
import { sameStatus } from "./contexts.js";

/** `<kind>/<namespace>/<name>`. */
export const runKeyOf = (kind: string, ns: string, name: string): string => `${kind}/${ns}/${name}`;

export class StatusWriter {
  /** The key whose status is being written right now. */
  private writing: string | undefined;

  constructor(private readonly store: Store) {}

  /** Whether a watch event for `key` is the echo of our own write. */
  isOwnWrite(key: string): boolean {
    return this.writing === key;
  }

  private update(type: ResourceType, run: AnyCustomRun, status: CustomRunStatus): AnyCustomRun {
    const { namespace, name } = runKey(run);
    this.writing = runKeyOf(type.kind, namespace, name);
    try {
      return this.store.update(type, { ...run, status }, { subresource: "status" });
    } finally {
      this.writing = undefined;
    }
  }

  /** Writes a status computed from the latest object, retrying on conflicts; undefined: leave it. */
  write(
    type: ResourceType,
    ns: string,
    name: string,
    next: (run: AnyCustomRun) => CustomRunStatus | undefined,
  ): AnyCustomRun | undefined {
    for (let i = 0; i < 20; i++) {
      const run = this.store.get<AnyCustomRun>(type, ns, name);
      if (run === undefined) return undefined;
      const status = next(run);
      if (status === undefined || sameStatus(status, run.status)) return run;
      try {
        return this.update(type, run, status);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`${type.kind} ${ns}/${name}: status update kept conflicting`);
  }

  /**
   * Writes a status decided from `run` as read. False on a conflict: the run changed meanwhile, so
   * the decision is dropped (the caller reconciles again).
   */
  writeDecided(type: ResourceType, run: AnyCustomRun, status: CustomRunStatus): boolean {
    if (sameStatus(status, run.status)) return true;
    try {
      this.update(type, run, status);
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return false;
    }
  }
}
