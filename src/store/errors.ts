/**
 * Typed store errors, each carrying the Kubernetes HTTP `code`, `reason` and a Kubernetes-like
 * message, plus `details` shaped like `Status.details`, so the server can map any of them to a
 * `Status` in one place.
 *
 * @module
 */

/** Kubernetes `Status.reason` values the store uses. */
export const StoreErrorReason = {
  NotFound: "NotFound",
  AlreadyExists: "AlreadyExists",
  Conflict: "Conflict",
  Expired: "Expired",
  Invalid: "Invalid",
  BadRequest: "BadRequest",
  RequestEntityTooLarge: "RequestEntityTooLarge",
} as const;
/** One of {@link StoreErrorReason}'s values. */
export type StoreErrorReason = (typeof StoreErrorReason)[keyof typeof StoreErrorReason];

/** `Status.details` of a Kubernetes error. */
export interface StoreErrorDetails {
  name?: string;
  group?: string;
  /** Kubernetes puts the plural resource name here (e.g. `"taskruns"`). */
  kind?: string;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
}

/** Base class of every store error. */
export abstract class StoreError extends Error {
  abstract readonly code: number;
  abstract readonly reason: StoreErrorReason;
  readonly details: StoreErrorDetails;
  constructor(message: string, details: StoreErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** True for any {@link StoreError}. */
export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

/** The identity of a resource in error messages. */
export interface ErrorTarget {
  group: string;
  resource: string;
  name: string;
}

function qualified(t: ErrorTarget): string {
  return t.group === "" ? t.resource : `${t.resource}.${t.group}`;
}

function detailsOf(t: ErrorTarget): StoreErrorDetails {
  return { name: t.name, group: t.group, kind: t.resource };
}

/** 404: `taskruns.tekton.dev "x" not found`. */
export class NotFoundError extends StoreError {
  readonly code = 404;
  readonly reason = StoreErrorReason.NotFound;
  constructor(t: ErrorTarget) {
    super(`${qualified(t)} "${t.name}" not found`, detailsOf(t));
  }
}

/** 409: `taskruns.tekton.dev "x" already exists`. */
export class AlreadyExistsError extends StoreError {
  readonly code = 409;
  readonly reason = StoreErrorReason.AlreadyExists;
  constructor(t: ErrorTarget) {
    super(`${qualified(t)} "${t.name}" already exists`, detailsOf(t));
  }
}

/** 409: a failed optimistic-concurrency or delete precondition. */
export class ConflictError extends StoreError {
  readonly code = 409;
  readonly reason = StoreErrorReason.Conflict;
  /**
   * @param detail - defaults to the stale-resourceVersion message Kubernetes uses.
   */
  constructor(
    t: ErrorTarget,
    detail = "the object has been modified; please apply your changes to the latest version and try again",
  ) {
    super(`Operation cannot be fulfilled on ${qualified(t)} "${t.name}": ${detail}`, detailsOf(t));
  }
}

/** 410 Expired: a watch resourceVersion or continue token older than the retained history. */
export class GoneError extends StoreError {
  readonly code = 410;
  readonly reason = StoreErrorReason.Expired;
}

/** 422: an object that fails validation: `TaskRun.tekton.dev "x" is invalid: metadata.name: …`. */
export class InvalidError extends StoreError {
  readonly code = 422;
  readonly reason = StoreErrorReason.Invalid;
  /**
   * @param qualifiedKind - `"TaskRun.tekton.dev"` or `"ConfigMap"`.
   * @param causes - one per invalid field.
   */
  constructor(
    qualifiedKind: string,
    name: string,
    causes: Array<{ field: string; message: string }>,
    group = "",
  ) {
    const text = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
    super(`${qualifiedKind} "${name}" is invalid: ${text}`, {
      name,
      group,
      kind: qualifiedKind.split(".")[0],
      causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
    });
  }
}

/** 413: an object over etcd's request limit, with etcd's message as the API server passes it on. */
export class TooLargeError extends StoreError {
  readonly code = 413;
  readonly reason = StoreErrorReason.RequestEntityTooLarge;
  constructor() {
    super("etcdserver: request is too large");
  }
}

/** 400: a malformed request parameter (label/field selector, continue token). */
export class BadRequestError extends StoreError {
  readonly code = 400;
  readonly reason = StoreErrorReason.BadRequest;
}
