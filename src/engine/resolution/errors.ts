/**
 * Typed resolution failures. Each carries the text Tekton's controller would put in the run's
 * condition message; the reconcilers turn them into `…ResolutionFailed` conditions.
 */

/** A remote reference could not be resolved (`error requesting remote resource: …` and friends). */
export class ResolutionError extends Error {
  override readonly name = "ResolutionError";
}

/** The resolved resource failed the validation a dry-run create would apply (`TaskValidationFailed`). */
export class ResolvedResourceInvalidError extends Error {
  override readonly name = "ResolvedResourceInvalidError";
}

/** Thrown by a resolver when the network is off and nothing is cached. */
export class OfflineError extends Error {
  override readonly name = "OfflineError";
}
