/**
 * Resolved bytes → a stored-shape object, through the same decoding, conversion, defaulting
 * and validation as objects given to tektite directly (Tekton's decode + dry-run create).
 */
import { DenialStage, FieldValidation, admit } from "../../api/admission.js";
import { LoadError } from "../../api/load-error.js";
import { parseDocuments } from "../../api/parse-documents.js";
import type { KubeObject } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { ResolutionError, ResolvedResourceInvalidError } from "./errors.js";

export type ResolvableKind = "Task" | "Pipeline" | "StepAction";

/** Tekton's "resource is not a …" texts. */
const NOT_A: Record<ResolvableKind, string> = {
  Task: "resource is not a task",
  Pipeline: "resource is not a pipeline",
  StepAction: "resource is not a StepAction",
};

/**
 * @throws ResolutionError for bytes that are not a Tekton object of the expected kind.
 * @throws ResolvedResourceInvalidError when the object fails validation.
 */
export function decodeResolved(
  data: Buffer,
  expected: ResolvableKind,
  source: string,
  config: { features: FeatureFlags; defaults: ConfigDefaults },
): KubeObject {
  let first: KubeObject | undefined;
  try {
    first = parseDocuments(data.toString("utf8"), source)[0]?.object;
  } catch (err) {
    if (err instanceof LoadError) throw new ResolutionError(`invalid runtime object: ${err.message}`);
    throw err;
  }
  if (first === undefined)
    throw new ResolutionError("invalid runtime object: Object 'Kind' is missing in ''");
  if (first.kind !== expected) throw new ResolutionError(NOT_A[expected]);
  const admitted = admit(first, config.features, config.defaults, {
    fieldValidation: FieldValidation.Strict,
  });
  if ("error" in admitted) {
    const denial =
      admitted.denial.stage === DenialStage.Validation
        ? `admission webhook "validation.webhook.pipeline.tekton.dev" denied the request: validation failed: ${admitted.error}`
        : `admission webhook "webhook.pipeline.tekton.dev" denied the request: mutation failed: ${admitted.error}`;
    throw new ResolvedResourceInvalidError(
      `validation failed for referenced object ${first.metadata.name ?? ""}: ${denial}`,
    );
  }
  return admitted.object;
}
