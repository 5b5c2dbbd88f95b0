/**
 * Delayed requeues per key with the semantics of a Kubernetes delaying work queue: a key waits
 * for at most one timer, and asking again for a later time keeps the earlier one (so a status
 * write that triggers another reconcile does not push a deadline back).
 *
 * @module
 */
import type { Clock } from "../clock.js";

export class RequeueTimers {
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();

  constructor(private readonly clock: Clock) {}

  /** Calls `fn` in `ms` unless a timer for `key` is already due no later than that. */
  requeue(key: string, ms: number, fn: () => void): void {
    const at = this.clock.now().getTime() + Math.max(0, ms);
    const existing = this.timers.get(key);
    if (existing !== undefined && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.clock.setTimer(Math.max(0, ms), () => {
      if (this.timers.get(key)?.cancel === cancel) this.timers.delete(key);
      fn();
    });
    this.timers.set(key, { at, cancel });
  }

  /** Drops the timer of `key`. */
  clear(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  /** Drops every timer. */
  clearAll(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Whether `key` has a pending timer (for tests). */
  has(key: string): boolean {
    return this.timers.has(key);
  }
}
