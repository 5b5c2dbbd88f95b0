/**
 * Why a TaskRun attempt's AbortSignal fired. The reason travels as `signal.reason` (an
 * {@link AttemptAborted}), so whoever sees the signal knows the cause without a side table.
 *
 * @module
 */

/** The causes of an abort. `Shutdown` leaves the status for the next process to settle. */
export const AbortKind = { Cancel: "cancel", Timeout: "timeout", Shutdown: "shutdown" } as const;
/** One of {@link AbortKind}'s values. */
export type AbortKind = (typeof AbortKind)[keyof typeof AbortKind];

const MESSAGES: Record<AbortKind, string> = {
  [AbortKind.Cancel]: "the TaskRun was cancelled",
  [AbortKind.Timeout]: "the TaskRun timed out",
  [AbortKind.Shutdown]: "tektite is shutting down",
};

/** The `reason` of an aborted attempt's signal. */
export class AttemptAborted extends Error {
  override readonly name = "AttemptAborted";
  constructor(readonly kind: AbortKind) {
    super(MESSAGES[kind]);
  }
}

/** The cause a signal was aborted with, or undefined when it was not aborted by the reconciler. */
export function abortKindOf(signal: AbortSignal): AbortKind | undefined {
  return signal.aborted && signal.reason instanceof AttemptAborted ? signal.reason.kind : undefined;
}
