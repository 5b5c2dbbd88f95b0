/**
 * Typed errors of the custom-task domain.
 *
 * @module
 */

/**
 * Thrown by a custom task (or a reconciler) to fail the attempt with a reason and message of its
 * choosing: `throw new CustomTaskError("HostUnreachable", "localhost:8080 refused the connection")`.
 * Any other error fails the attempt with reason `Failed` and the error's message.
 */
export class CustomTaskError extends Error {
  override readonly name = "CustomTaskError";

  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why plugin loading failed. */
export const PluginErrorReason = {
  NotFound: "NotFound",
  ImportFailed: "ImportFailed",
  NoControllers: "NoControllers",
  InvalidExport: "InvalidExport",
} as const;
/** One of {@link PluginErrorReason}'s values. */
export type PluginErrorReason = (typeof PluginErrorReason)[keyof typeof PluginErrorReason];

/** A plugin file could not be loaded; `path` is the file as given. */
export class PluginError extends Error {
  override readonly name = "PluginError";

  constructor(
    readonly reason: PluginErrorReason,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Two controllers claim the same `apiVersion/kind`. */
export class DuplicateControllerError extends Error {
  override readonly name = "DuplicateControllerError";
  readonly reason = "DuplicateController";

  constructor(readonly id: string) {
    super(`a custom task controller for ${id} is already registered`);
  }
}

/** The message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
