/**
 * Object helpers shared by the store implementations: copying, structural equality, name
 * validation, generateName, keys and continue tokens.
 *
 * @module
 */

import { randomInt } from "node:crypto";
import type { KubeObject } from "../api/types.js";
import { BadRequestError, InvalidError } from "./errors.js";
import type { ResourceType } from "./store.js";

/** A deep copy of a JSON object. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Structural equality of JSON values (object key order ignored, `undefined` members ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && deepEqual(ra[k], rb[k]))
  );
}

/** The object without `metadata` (and without `status` when it is a subresource): what `generation` tracks. */
export function specPart(type: ResourceType, obj: KubeObject): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...obj };
  delete rest["metadata"];
  delete rest["apiVersion"];
  delete rest["kind"];
  if (type.statusSubresource) delete rest["status"];
  return rest;
}

/** `"TaskRun.tekton.dev"` or `"ConfigMap"`, as in Kubernetes "is invalid" messages. */
export function qualifiedKind(type: ResourceType): string {
  return type.group === "" ? type.kind : `${type.kind}.${type.group}`;
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws InvalidError unless `name` (and `namespace`) are valid Kubernetes names. */
export function validateNames(type: ResourceType, name: string, namespace: string | undefined): void {
  const causes: Array<{ field: string; message: string }> = [];
  if (name.length > 253 || !SUBDOMAIN.test(name)) {
    causes.push({
      field: "metadata.name",
      message:
        `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric ` +
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', " +
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  }
  if (namespace !== undefined && (namespace.length > 63 || !LABEL.test(namespace))) {
    causes.push({
      field: "metadata.namespace",
      message:
        `Invalid value: "${namespace}": a lowercase RFC 1123 label must consist of lower case alphanumeric ` +
        "characters or '-', and must start and end with an alphanumeric character",
    });
  }
  if (causes.length > 0) throw new InvalidError(qualifiedKind(type), name, causes, type.group);
}

const ALPHANUM = "bcdfghjklmnpqrstvwxz2456789";

/**
 * `generateName` + 5 random characters, base truncated to 58 characters. Kubernetes draws from
 * consonants and digits that cannot spell words; the result is still `[a-z0-9]`.
 */
export function generatedName(base: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += ALPHANUM[randomInt(ALPHANUM.length)] ?? "x";
  return base.slice(0, 58) + suffix;
}

/** Creation timestamp at second precision: `2024-05-01T10:00:00Z`. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The namespace an object of `type` is stored under: "" for cluster-scoped types. */
export function effectiveNamespace(type: ResourceType, namespace: string | undefined): string {
  if (!type.namespaced) return "";
  return namespace === undefined || namespace === "" ? "default" : namespace;
}

/** A list position: the (namespace, name) of the last returned item. */
export interface ListPosition {
  namespace: string;
  name: string;
}

/** Orders objects by namespace, then name (the order of etcd keys). */
export function compareKeys(a: ListPosition, b: ListPosition): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

interface ContinueToken {
  v: string;
  rv: number;
  ns: string;
  start: string;
}

/** Encodes a continue token (base64url JSON, as the Kubernetes API server does). */
export function encodeContinue(rv: number, last: ListPosition): string {
  const token: ContinueToken = { v: "meta.k8s.io/v1", rv, ns: last.namespace, start: last.name };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

/** Decodes a continue token; malformed ⇒ BadRequestError. */
export function decodeContinue(token: string): { rv: number; after: ListPosition } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<ContinueToken>;
    if (
      parsed.v === "meta.k8s.io/v1" &&
      typeof parsed.rv === "number" &&
      typeof parsed.ns === "string" &&
      typeof parsed.start === "string"
    ) {
      return { rv: parsed.rv, after: { namespace: parsed.ns, name: parsed.start } };
    }
  } catch (e) {
    throw new BadRequestError(`invalid continue token: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new BadRequestError("invalid continue token: unrecognized contents");
}

/** Parses a resourceVersion parameter; "" / undefined ⇒ undefined; malformed ⇒ BadRequestError. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === "") return undefined;
  if (!/^\d+$/.test(rv)) throw new BadRequestError(`invalid resource version: "${rv}"`);
  return Number(rv);
}
