/** Waiting on work that the caller may abandon: the only shared plumbing of the executors' pods. */

/**
 * Resolves when every promise has, or rejects with `signal`'s reason as soon as it fires. The
 * work itself is not stopped here: its owner stops it through the same signal.
 */
export async function allUnlessAborted(
  promises: ReadonlyArray<Promise<unknown>>,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([Promise.all(promises), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}
