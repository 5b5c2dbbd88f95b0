/**
 * The exit codes of every `tektite` command, and the one place each outcome or error class is
 * turned into one. Commands set `process.exitCode` only through these.
 *
 * @module
 */
import { CommanderError } from "commander";
import { isSucceeded, succeededCondition, type WithConditions } from "../api/conditions.js";
import { UserInputError } from "./errors.js";

export const ExitCode = {
  /** Every run succeeded; the request was done. */
  Succeeded: 0,
  /** A run failed, was cancelled or timed out (or had no controller). */
  RunFailed: 1,
  /** The server refused the request or could not be reached (kubectl's exit code for these). */
  RequestFailed: 1,
  /** Bad input: an invalid file, resource, flag or argument. */
  InvalidInput: 2,
  /** Interrupted (Ctrl-C / SIGTERM): 128 + SIGINT, as shells report it. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of a command that ended with `err` (an unexpected error is {@link ExitCode.RequestFailed}). */
export function exitCodeOfError(err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Succeeded : ExitCode.InvalidInput;
  if (err instanceof UserInputError) return ExitCode.InvalidInput;
  return ExitCode.RequestFailed;
}

/** The exit code of a finished run: 0 when its Succeeded condition is True. */
export function exitCodeOfRun(run: WithConditions): ExitCode {
  return isSucceeded(run) ? ExitCode.Succeeded : ExitCode.RunFailed;
}

/** A session's outcome: interrupted, or 0 when every top-level run succeeded. */
export function exitCodeOfSession(result: {
  interrupted: boolean;
  runs: ReadonlyArray<{ child?: boolean; succeeded: boolean }>;
}): ExitCode {
  if (result.interrupted) return ExitCode.Interrupted;
  return result.runs.every((r) => r.child === true || r.succeeded) ? ExitCode.Succeeded : ExitCode.RunFailed;
}

/** Ends a command that followed one run: its exit code, and on failure why, on stderr. */
export function finishWithRun(kind: string, name: string, run: WithConditions): void {
  const code = exitCodeOfRun(run);
  if (code !== ExitCode.Succeeded) {
    const c = succeededCondition((run as { status?: unknown }).status);
    process.stderr.write(`${kind} ${name} ${c?.reason ?? "did not succeed"}: ${c?.message ?? ""}\n`);
  }
  process.exitCode = code;
}

/** Reports a failure on stderr and sets its exit code (default: the request failed). */
export function failWith(text: string, code: ExitCode = ExitCode.RequestFailed): void {
  process.stderr.write(`${text}\n`);
  process.exitCode = code;
}
