/**
 * Admission: what every object goes through before it is stored, in the order a Kubernetes API
 * server with Tekton's webhooks applies it —
 * 1. the API server decodes the object (`metadata` for Tekton kinds, everything for core kinds),
 *    dropping unknown fields or refusing them as `?fieldValidation=` asks;
 * 2. Tekton's defaulting webhook decodes it strictly (`json: unknown field "x"`) and defaults it;
 * 3. the API server checks labels and annotations;
 * 4. Tekton's validating webhook validates it (after conversion to the storage version).
 * Each refusal says which of them refused ({@link DenialStage}); the server words it from there.
 */
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import { ConversionError, convertToV1, secretForStorage } from "./convert.js";
import { MAX_DEPTH, UnknownFields, decodeObject, nestingDepth } from "./decode.js";
import { applyDefaults } from "./defaults.js";
import { isAdmitted } from "./kinds.js";
import { aggregate, objectMetaErrors, type FieldCause } from "./object-meta.js";
import { schemaFor } from "./schema/kinds.js";
import type { KubeObject } from "./types.js";
import { validateResource } from "./validation/index.js";

/** `?fieldValidation=`: what the API server does with fields its schema does not have. */
export const FieldValidation = {
  Strict: "Strict",
  Warn: "Warn",
  Ignore: "Ignore",
} as const;
export type FieldValidation = (typeof FieldValidation)[keyof typeof FieldValidation];

/** Who refused an object. */
export const DenialStage = {
  /** The API server could not decode it (wrong type, or an unknown field under Strict): 400. */
  Decode: "Decode",
  /** Tekton's defaulting webhook could not decode it: 400. */
  WebhookDecode: "WebhookDecode",
  /** The API server's metadata checks (labels, annotations): 422. */
  Invalid: "Invalid",
  /** Tekton's validating webhook (or its conversion): 400. */
  Validation: "Validation",
} as const;
export type DenialStage = (typeof DenialStage)[keyof typeof DenialStage];

/** A refusal. */
export interface Denial {
  stage: DenialStage;
  /** The refusing component's own text (`json: unknown field "x"`, Tekton's FieldError text). */
  message: string;
  /** The field it is about, when known: `spec.steps[0].image`. */
  path?: string;
  /** For {@link DenialStage.Invalid}: each field error. */
  causes?: FieldCause[];
}

/** What admission makes of an object. */
export type AdmissionResult =
  | { object: KubeObject; warnings: string[] }
  | {
      /** The message a user reads, with the refusing component's prefix. */
      error: string;
      denial: Denial;
    };

/** How the caller wants unknown fields treated; the CLI uses kubectl's default, Strict. */
export interface AdmitOptions {
  fieldValidation: FieldValidation;
}

/** The knative prefix of a webhook decoding failure. */
export const WEBHOOK_DECODE_PREFIX = "cannot decode incoming new object: ";

function denied(denial: Denial): AdmissionResult {
  const prefix = denial.stage === DenialStage.WebhookDecode ? WEBHOOK_DECODE_PREFIX : "";
  return { error: `${prefix}${denial.message}`, denial };
}

/** Unknown fields the API server dropped, as `?fieldValidation=` wants them reported. */
function unknownFields(dropped: string[], mode: FieldValidation): { denial?: Denial; warnings: string[] } {
  if (dropped.length === 0 || mode === FieldValidation.Ignore) return { warnings: [] };
  const texts = dropped.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === FieldValidation.Warn) return { warnings: texts };
  const message = `strict decoding error: ${texts.join(", ")}`;
  return { denial: { stage: DenialStage.Decode, message, path: dropped[0] ?? "" }, warnings: [] };
}

/**
 * Decodes, converts, defaults and validates one object. A Secret's `stringData` becomes base64
 * `data`, as the API server stores it.
 */
export function admit(
  object: KubeObject,
  features: FeatureFlags,
  defaults: ConfigDefaults,
  opts: AdmitOptions,
): AdmissionResult {
  if (nestingDepth(object, MAX_DEPTH) > MAX_DEPTH) {
    return denied({ stage: DenialStage.Decode, message: "json: exceeded max depth", path: "" });
  }
  const kind = schemaFor(object.apiVersion, object.kind);
  let current: KubeObject = object;
  const warnings: string[] = [];
  if (kind !== undefined) {
    const tekton = kind.apiVersion.startsWith("tekton.dev/");
    // The API server decodes metadata (all of a core object) before any webhook sees it.
    const apiServerPart = tekton ? { metadata: object.metadata } : object;
    const first = decodeObject(apiServerPart, kind, UnknownFields.Drop);
    if (!first.ok) return denied({ stage: DenialStage.Decode, ...first.failure });
    const dropped = unknownFields(first.droppedFields, opts.fieldValidation);
    if (dropped.denial !== undefined) return denied(dropped.denial);
    warnings.push(...dropped.warnings);
    if (tekton) {
      const second = decodeObject(object, kind, UnknownFields.Reject);
      if (!second.ok) return denied({ stage: DenialStage.WebhookDecode, ...second.failure });
      current = { ...(second.value as KubeObject), metadata: (first.value as KubeObject).metadata };
    } else {
      current = first.value as KubeObject;
    }
  }
  if (current.kind === "Secret") return metadataChecked(secretForStorage(current), warnings);
  if (!isAdmitted(current.kind)) return metadataChecked(current, warnings);
  try {
    const converted = convertToV1(current);
    const defaulted = applyDefaults(converted, defaults);
    const meta = objectMetaErrors(defaulted.metadata);
    if (meta.length > 0) return metadataDenied(meta);
    const err = validateResource(defaulted, features, defaults);
    if (err !== undefined) return denied({ stage: DenialStage.Validation, message: err.error() });
    return { object: defaulted, warnings };
  } catch (err) {
    if (err instanceof ConversionError)
      return denied({ stage: DenialStage.Validation, message: err.message });
    throw err;
  }
}

function metadataChecked(object: KubeObject, warnings: string[]): AdmissionResult {
  const meta = objectMetaErrors(object.metadata);
  if (meta.length > 0) return metadataDenied(meta);
  return { object, warnings };
}

function metadataDenied(causes: FieldCause[]): AdmissionResult {
  return denied({ stage: DenialStage.Invalid, message: aggregate(causes), path: "metadata", causes });
}
