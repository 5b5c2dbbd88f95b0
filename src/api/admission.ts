/**
 * Admission: what every object goes through before it is stored, as through Tekton's webhooks —
 * conversion to the storage version, defaulting, validation with Tekton's messages.
 */
import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import { ConversionError, convertToV1, secretForStorage } from "./convert.js";
import { applyDefaults } from "./defaults.js";
import { isAdmitted } from "./kinds.js";
import type { KubeObject } from "./types.js";
import { validateResource } from "./validation/index.js";

export type AdmissionResult = { object: KubeObject } | { error: string };

/**
 * Converts, defaults and validates one object; Tekton's rendered message when it is invalid. A
 * Secret's `stringData` becomes base64 `data`, as the API server stores it.
 */
export function admit(object: KubeObject, features: FeatureFlags, defaults: ConfigDefaults): AdmissionResult {
  try {
    if (object.kind === "Secret") return { object: secretForStorage(object) };
    if (!isAdmitted(object.kind)) return { object };
    const converted = convertToV1(object);
    const defaulted = applyDefaults(converted, defaults);
    const err = validateResource(defaulted, features, defaults);
    return err === undefined ? { object: defaulted } : { error: err.error() };
  } catch (err) {
    if (err instanceof ConversionError) return { error: err.message };
    throw err;
  }
}
