/**
 * The API server's own checks of `metadata` (apimachinery's `ValidateObjectMeta`: label keys and
 * values, annotation keys and their total size), rendered as `field.Error`s:
 * `metadata.labels: Invalid value: "bad key!": name part must consist of …`.
 *
 * @module
 */
import type { ObjectMeta } from "./types.js";
import { isQualifiedName, isValidLabelValue } from "./validation/k8s-names.js";

/** Most bytes all annotations of one object may hold together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** One `field.Error`: the field, and the message after it (`Invalid value: "x": …`). */
export interface FieldCause {
  field: string;
  /** `FieldValueInvalid`, `FieldValueTooLong`. */
  reason: string;
  message: string;
}

function invalid(field: string, value: string, detail: string): FieldCause {
  return {
    field,
    reason: "FieldValueInvalid",
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  };
}

/** Every problem with the labels and annotations of `meta`, in the API server's order and words. */
export function objectMetaErrors(meta: ObjectMeta): FieldCause[] {
  const errs: FieldCause[] = [];
  for (const [key, value] of sortedEntries(meta.labels)) {
    for (const m of isQualifiedName(key)) errs.push(invalid("metadata.labels", key, m));
    for (const m of isValidLabelValue(value)) errs.push(invalid("metadata.labels", value, m));
  }
  let size = 0;
  for (const [key, value] of sortedEntries(meta.annotations)) {
    for (const m of isQualifiedName(key.toLowerCase())) errs.push(invalid("metadata.annotations", key, m));
    size += key.length + value.length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push({
      field: "metadata.annotations",
      reason: "FieldValueTooLong",
      message: `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    });
  }
  return errs;
}

/** `field.ErrorList.ToAggregate().Error()`: one error as it is, several in brackets. */
export function aggregate(errs: readonly FieldCause[]): string {
  const texts = errs.map((e) => `${e.field}: ${e.message}`);
  return texts.length === 1 ? (texts[0] ?? "") : `[${texts.join(", ")}]`;
}

function sortedEntries(m: Record<string, string> | undefined): Array<[string, string]> {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
