/**
 * Kubernetes label and field selectors: parsing (malformed ⇒ {@link BadRequestError}) and
 * matching. Grammar of label selectors (comma = AND):
 * `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, `a>1`, `a<1`.
 * `!=` and `notin` also match objects without the label, as in Kubernetes.
 * Field selectors: `path=v`, `path==v`, `path!=v` on `metadata.name`, `metadata.namespace` and
 * the type's `selectableFields`.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { BadRequestError } from "./errors.js";

/** Label requirement operators. */
export const LabelOperator = {
  Equals: "=",
  NotEquals: "!=",
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
  GreaterThan: "gt",
  LessThan: "lt",
} as const;
/** One of {@link LabelOperator}'s values. */
export type LabelOperator = (typeof LabelOperator)[keyof typeof LabelOperator];

/** One clause of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** A parsed label selector: all requirements must hold. Empty matches everything. */
export type LabelSelector = readonly LabelRequirement[];

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function fail(message: string): never {
  throw new BadRequestError(`unable to parse requirement: ${message}`);
}

function checkKey(key: string): string {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) {
    fail(`invalid label key "${key}": prefix part must be a lowercase RFC 1123 subdomain`);
  }
  if (!NAME.test(name)) {
    fail(
      `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', ` +
        "and must start and end with an alphanumeric character (max 63 characters)",
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value)) {
    fail(
      `invalid label value: "${value}": must be 63 characters or less and must be empty or begin and end ` +
        "with an alphanumeric character with dashes, underscores, dots, and alphanumerics between",
    );
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const SET_RE = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/;
const CMP_RE = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/;

function parseRequirement(raw: string): LabelRequirement {
  const text = raw.trim();
  if (text === "") fail("found '', expected: !, identifier, or 'end of string'");
  if (text.startsWith("!")) {
    const key = text.slice(1).trim();
    if (key === "") fail("found '', expected: identifier after '!'");
    return { key: checkKey(key), operator: LabelOperator.DoesNotExist, values: [] };
  }
  const set = SET_RE.exec(text);
  if (set) {
    const [, key = "", op, list = ""] = set;
    if (list.trim() === "") fail(`for 'in', 'notin' operators, values set can't be empty (key "${key}")`);
    const values = list.split(",").map((v) => checkValue(v.trim()));
    return { key: checkKey(key), operator: op === "in" ? LabelOperator.In : LabelOperator.NotIn, values };
  }
  const cmp = CMP_RE.exec(text);
  if (cmp) {
    const [, key = "", op, value = ""] = cmp;
    const v = value.trim();
    if (op === ">" || op === "<") {
      if (!/^-?\d+$/.test(v)) fail(`for 'Gt', 'Lt' operators, the value must be an integer: "${v}"`);
      return {
        key: checkKey(key),
        operator: op === ">" ? LabelOperator.GreaterThan : LabelOperator.LessThan,
        values: [v],
      };
    }
    const operator = op === "!=" ? LabelOperator.NotEquals : LabelOperator.Equals;
    return { key: checkKey(key), operator, values: [checkValue(v)] };
  }
  if (/^\S+$/.test(text) && !/[=!<>()]/.test(text)) {
    return { key: checkKey(text), operator: LabelOperator.Exists, values: [] };
  }
  return fail(
    `"${text}" is not a valid requirement (expected key, !key, key=value, key!=value, key in (…), key notin (…))`,
  );
}

/** Parses a label selector; undefined/empty ⇒ matches everything. Malformed ⇒ BadRequestError. */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (selector === undefined || selector.trim() === "") return [];
  return splitTopLevel(selector).map(parseRequirement);
}

/** Whether labels satisfy every requirement of the selector. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const r of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.operator) {
      case LabelOperator.Equals:
      case LabelOperator.In:
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case LabelOperator.NotEquals:
      case LabelOperator.NotIn:
        if (value !== undefined && r.values.includes(value)) return false;
        break;
      case LabelOperator.Exists:
        if (!has) return false;
        break;
      case LabelOperator.DoesNotExist:
        if (has) return false;
        break;
      case LabelOperator.GreaterThan:
      case LabelOperator.LessThan: {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const n = Number(value);
        const bound = Number(r.values[0]);
        if (r.operator === LabelOperator.GreaterThan ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

/** One clause of a field selector. */
export interface FieldRequirement {
  path: string;
  negate: boolean;
  value: string;
}

/** A parsed field selector: all requirements must hold. */
export type FieldSelector = readonly FieldRequirement[];

const BASE_FIELDS = ["metadata.name", "metadata.namespace"];

/**
 * Parses a field selector. `allowed` lists extra supported paths (beyond metadata.name and
 * metadata.namespace). Unsupported path or malformed clause ⇒ BadRequestError.
 */
export function parseFieldSelector(
  selector: string | undefined,
  allowed: readonly string[] = [],
): FieldSelector {
  if (selector === undefined || selector.trim() === "") return [];
  return selector.split(",").map((raw) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m)
      throw new BadRequestError(
        `invalid field selector: "${raw.trim()}": expected field=value, field==value or field!=value`,
      );
    const [, path = "", op, value = ""] = m;
    if (!BASE_FIELDS.includes(path) && !allowed.includes(path)) {
      throw new BadRequestError(`field label not supported: ${path}`);
    }
    return { path, negate: op === "!=", value };
  });
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  if (typeof cur === "string") return cur;
  if (typeof cur === "number" || typeof cur === "boolean") return String(cur);
  return "";
}

/** Whether the object satisfies every requirement of the field selector. */
export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  return selector.every((r) => (fieldValue(obj, r.path) === r.value) !== r.negate);
}

/**
 * {@link matchesFields} for a stored object known by its key and JSON text: the text is parsed
 * only when the selector looks beyond `metadata.name` and `metadata.namespace`.
 */
export function matchesFieldsOfStored(
  selector: FieldSelector,
  key: { namespace: string; name: string },
  json: string | Uint8Array,
): boolean {
  let obj: KubeObject | undefined;
  return selector.every((r) => {
    const value =
      r.path === "metadata.name"
        ? key.name
        : r.path === "metadata.namespace"
          ? key.namespace
          : fieldValue((obj ??= parseStored(json)), r.path);
    return (value === r.value) !== r.negate;
  });
}

function parseStored(json: string | Uint8Array): KubeObject {
  return JSON.parse(typeof json === "string" ? json : Buffer.from(json).toString("utf8")) as KubeObject;
}

/** A compiled list/watch filter. */
export interface ObjectFilter {
  labels: LabelSelector;
  fields: FieldSelector;
}

/** Parses both selectors into one filter. */
export function compileFilter(
  opts: { labelSelector?: string | undefined; fieldSelector?: string | undefined },
  selectableFields: readonly string[] = [],
): ObjectFilter {
  return {
    labels: parseLabelSelector(opts.labelSelector),
    fields: parseFieldSelector(opts.fieldSelector, selectableFields),
  };
}

/** Whether an object passes a filter. */
export function matchesFilter(filter: ObjectFilter, obj: KubeObject): boolean {
  return matchesLabels(filter.labels, obj.metadata.labels) && matchesFields(filter.fields, obj);
}
