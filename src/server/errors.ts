/**
 * Every error the API answers with is a Kubernetes `Status` (kind `Status`, `status: Failure`,
 * `message`, `reason`, `code`, `details`). {@link toStatus} is the one place failures become one.
 *
 * @module
 */

import { DenialStage, type Denial } from "../api/admission.js";
import { isStoreError } from "../store/index.js";

/** Kubernetes `Status.reason` values the server answers with (beyond the store's). */
export const StatusReason = {
  BadRequest: "BadRequest",
  Unauthorized: "Unauthorized",
  NotFound: "NotFound",
  MethodNotAllowed: "MethodNotAllowed",
  Conflict: "Conflict",
  AlreadyExists: "AlreadyExists",
  Invalid: "Invalid",
  Expired: "Expired",
  RequestEntityTooLarge: "RequestEntityTooLarge",
  UnsupportedMediaType: "UnsupportedMediaType",
  NotAcceptable: "NotAcceptable",
  InternalError: "InternalError",
} as const;
/** One of {@link StatusReason}'s values. */
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

/** `Status.details`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
}

/** A Kubernetes `Status` object. */
export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error the API reports with a given HTTP code and reason. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 400 with reason BadRequest. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, StatusReason.BadRequest, message);
}

/** 404 `<resource> "<name>" not found`, as the API server words it. */
export function notFound(qualifiedResource: string, name: string, group = ""): ApiError {
  return new ApiError(404, StatusReason.NotFound, `${qualifiedResource} "${name}" not found`, {
    name,
    group,
    kind: qualifiedResource.split(".")[0] ?? qualifiedResource,
  });
}

/** 405 for a verb the resource does not support. */
export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    StatusReason.MethodNotAllowed,
    "the server does not allow this method on the requested resource",
  );
}

/** 404 for a path that names no served resource. */
export function noSuchResource(): ApiError {
  return new ApiError(404, StatusReason.NotFound, "the server could not find the requested resource");
}

/**
 * The denial Tekton's validating webhook produces: HTTP 400 (the API server's default for a
 * webhook rejection without a code), message `admission webhook "validation.webhook.pipeline.tekton.dev"
 * denied the request: validation failed: …`.
 */
export function admissionDenied(message: string): ApiError {
  const text = message.startsWith("validation failed") ? message : `validation failed: ${message}`;
  return new ApiError(
    400,
    StatusReason.BadRequest,
    `admission webhook "validation.webhook.pipeline.tekton.dev" denied the request: ${text}`,
  );
}

/** What a denial is about, for its message: `TaskRun.tekton.dev "x" is invalid: …`. */
export interface DeniedObject {
  kind: string;
  group: string;
  version: string;
  name: string;
}

/** The API server's 422 `<Kind>.<group> "<name>" is invalid: <field errors>`. */
export function invalid(
  obj: DeniedObject,
  message: string,
  causes: Array<{ reason: string; message: string; field: string }> = [],
): ApiError {
  const qualified = obj.group === "" ? obj.kind : `${obj.kind}.${obj.group}`;
  return new ApiError(422, StatusReason.Invalid, `${qualified} "${obj.name}" is invalid: ${message}`, {
    name: obj.name,
    group: obj.group,
    kind: obj.kind,
    ...(causes.length > 0 ? { causes } : {}),
  });
}

/** An admission refusal as the API server (or Tekton's webhook through it) answers it. */
export function deniedBy(denial: Denial, obj: DeniedObject): ApiError {
  switch (denial.stage) {
    case DenialStage.Decode:
      return badRequest(
        `${obj.kind} in version "${obj.version}" cannot be handled as a ${obj.kind}: ${denial.message}`,
      );
    case DenialStage.WebhookDecode:
      return new ApiError(
        400,
        StatusReason.BadRequest,
        `admission webhook "webhook.pipeline.tekton.dev" denied the request: mutation failed: cannot decode incoming new object: ${denial.message}`,
      );
    case DenialStage.Invalid:
      return invalid(obj, denial.message, denial.causes ?? []);
    case DenialStage.Validation:
      return admissionDenied(denial.message);
  }
}

/** A failure `Status` body. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): KubeStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details !== undefined ? { details } : {}),
    code,
  };
}

/** Maps any thrown value to a `Status`: API errors and store errors keep their code; others are 500s. */
export function toStatus(err: unknown): KubeStatus {
  if (err instanceof ApiError) return statusBody(err.code, err.reason, err.message, err.details);
  if (isStoreError(err)) {
    const details = Object.keys(err.details).length > 0 ? err.details : undefined;
    return statusBody(err.code, err.reason, err.message, details);
  }
  const message = err instanceof Error ? err.message : String(err);
  return statusBody(500, StatusReason.InternalError, `Internal error occurred: ${message}`);
}
