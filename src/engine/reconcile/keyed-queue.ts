/**
 * Serialises work per key (one reconcile of an object at a time) while different keys run
 * concurrently, and collapses bursts: a key queued while it is already waiting runs once.
 */
export class KeyedQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Set<string>();

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  enqueue(key: string, work: () => Promise<void>): void {
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    const previous = this.running.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      this.waiting.delete(key);
      try {
        await work();
      } catch (err) {
        this.onError(key, err);
      }
    });
    this.running.set(key, next);
    void next.then(() => {
      if (this.running.get(key) === next) this.running.delete(key);
    });
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

/** Limits how many attempts run at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
