/**
 * PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch,
 * which — as the API server does for custom resources — is applied as a merge patch; its
 * `$`-directives (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`)
 * are dropped, so lists are replaced whole.
 *
 * @module
 */

import { badRequest, ApiError, StatusReason } from "./errors.js";

/** PATCH content types. */
export const PatchType = {
  Merge: "application/merge-patch+json",
  Json: "application/json-patch+json",
  Strategic: "application/strategic-merge-patch+json",
  Apply: "application/apply-patch+yaml",
} as const;
/** One of {@link PatchType}'s values. */
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

type Json = unknown;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The patch type of a Content-Type header; 415 otherwise. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const base = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const found = Object.values(PatchType).find((t) => t === base);
  if (found === undefined) {
    throw new ApiError(
      415,
      StatusReason.UnsupportedMediaType,
      `the body of the request was in an unknown format - accepted media types include: ${Object.values(PatchType).join(", ")}`,
    );
  }
  return found;
}

/** RFC 7386 merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Removes strategic-merge directives, leaving a plain merge patch. */
export function stripDirectives(patch: Json): Json {
  if (Array.isArray(patch)) return patch.filter((e) => !(isObject(e) && "$patch" in e)).map(stripDirectives);
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function unescape(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer: "${path}"`);
  return path.slice(1).split("/").map(unescape);
}

function arrayIndex(arr: unknown[], token: string, forAdd: boolean): number {
  if (forAdd && token === "-") return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw badRequest(`invalid array index: "${token}"`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) throw badRequest(`array index out of range: ${token}`);
  return i;
}

function parentOf(doc: Json, tokens: string[]): { parent: unknown; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else throw badRequest(`doc is missing path: "/${tokens.join("/")}": missing value`);
  }
  const key = tokens[tokens.length - 1];
  if (key === undefined) throw badRequest("the root of the document cannot be patched");
  return { parent: cur, key };
}

function getAt(doc: Json, path: string): Json {
  let cur: unknown = doc;
  for (const t of parsePointer(path)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else throw badRequest(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function addAt(doc: Json, path: string, value: Json): void {
  const { parent, key } = parentOf(doc, parsePointer(path));
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, structuredClone(value));
  else if (isObject(parent)) parent[key] = structuredClone(value);
  else throw badRequest(`doc is missing path: "${path}"`);
}

function removeAt(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, parsePointer(path));
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false), 1)[0];
  if (isObject(parent) && key in parent) {
    const old = parent[key];
    delete parent[key];
    return old;
  }
  throw badRequest(`doc is missing path: "${path}": missing value`);
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6902 JSON patch; returns a new document. */
export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest("json patch must be an array of operations");
  const doc = { root: structuredClone(target) };
  const at = (p: string): string => `/root${p}`;
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObject(raw) || typeof raw.path !== "string") throw badRequest("invalid json patch operation");
    switch (raw.op) {
      case "add":
        addAt(doc, at(raw.path), raw.value);
        break;
      case "remove":
        removeAt(doc, at(raw.path));
        break;
      case "replace":
        removeAt(doc, at(raw.path));
        addAt(doc, at(raw.path), raw.value);
        break;
      case "move":
      case "copy": {
        if (typeof raw.from !== "string") throw badRequest(`"from" is required for ${raw.op}`);
        const value =
          raw.op === "move" ? removeAt(doc, at(raw.from)) : structuredClone(getAt(doc, at(raw.from)));
        addAt(doc, at(raw.path), value);
        break;
      }
      case "test":
        if (JSON.stringify(getAt(doc, at(raw.path))) !== JSON.stringify(raw.value)) {
          throw new ApiError(422, StatusReason.Invalid, `testing value ${raw.path} failed`);
        }
        break;
      default:
        throw badRequest(`unexpected json patch operation: "${String(raw.op)}"`);
    }
  }
  return doc.root;
}

/** Applies a merge, JSON or strategic patch to `current`. */
export function applyPatch(
  type: Exclude<PatchType, "application/apply-patch+yaml">,
  current: Json,
  patch: unknown,
): Json {
  switch (type) {
    case PatchType.Merge:
      return mergePatch(current, patch);
    case PatchType.Strategic:
      return mergePatch(current, stripDirectives(patch));
    case PatchType.Json:
      return jsonPatch(current, patch);
  }
}
