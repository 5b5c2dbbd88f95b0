/** Time as the engine sees it. Injected so state-machine tests run without real sleeps. */
export interface Clock {
  now(): Date;
  /** Calls `fn` after `ms`; returns a function that cancels the timer. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    // Node timers overflow above 2^31-1 ms; long timeouts re-arm in steps.
    const max = 2_147_483_647;
    let handle: NodeJS.Timeout;
    const arm = (left: number): void => {
      // Kept referenced: a waiting run (a Wait custom task) is what keeps a one-shot run alive.
      handle = setTimeout(() => (left > max ? arm(left - max) : fn()), Math.min(left, max));
    };
    arm(Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};

/** A clock for tests: time moves only when `advance` is called, firing due timers in order. */
export class ManualClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(start: Date = new Date("2026-01-01T00:00:00Z")) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.timers[0];
      if (due === undefined || due.at > target) break;
      this.timers.shift();
      this.current = due.at;
      due.fn();
    }
    this.current = target;
  }
}
