/**
 * Writes: create, update (PUT), patch, delete and deletecollection, each going through Tekton's
 * admission (`admit`: convert to the stored version, default, validate) for Tekton kinds, with
 * `?dryRun=All` answered without storing.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import YAML from "yaml";
import { FieldValidation, admit } from "../api/admission.js";
import { MAX_DEPTH, nestingDepth } from "../api/decode.js";
import { validatePipelineRunUpdate } from "../api/validation/pipelinerun-update.js";
import { validateTaskRunUpdate } from "../api/validation/taskrun-update.js";
import type { PipelineRun } from "../api/pipeline-types.js";
import type { KubeObject, TaskRun } from "../api/types.js";
import { ConflictError, MAX_OBJECT_BYTES, ResourceTypes } from "../store/index.js";
import type { ApiDeps, ResourcePath } from "./context.js";
import {
  ApiError,
  StatusReason,
  admissionDenied,
  badRequest,
  deniedBy,
  invalid,
  methodNotAllowed,
  notFound,
} from "./errors.js";
import { PatchType, applyPatch, mergePatch, type PatchType as PatchTypeT } from "./patch.js";
import { deleteDependents, deleteEventsOf } from "./owners.js";
import { render, toStorage } from "./render.js";
import { isWritable, namespacedTypes, qualifiedResource, servedApiVersion } from "./resources.js";

const PATCH_RETRIES = 5;

/** Write options from the query string, and where the answer's warnings are collected. */
export interface WriteQuery {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Filled with the `Warning` headers of the answer. */
  warnings: string[];
}

/** `?fieldValidation=` (default Warn, as the API server). */
export function fieldValidationOf(value: string | undefined): FieldValidation {
  if (value === undefined || value === "") return FieldValidation.Warn;
  const found = Object.values(FieldValidation).find((v) => v === value);
  if (found === undefined) {
    throw badRequest(
      `fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(value)}`,
    );
  }
  return found;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Media types a create or update body may have. */
const BODY_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"] as const;

/** 415 unless `contentType` is one the API server reads for a create or update. */
export function requireBodyType(contentType: string | undefined): void {
  const base = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (base === "" || (BODY_TYPES as readonly string[]).includes(base)) return;
  throw new ApiError(
    415,
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: ${BODY_TYPES.join(", ")}`,
  );
}

/** Parses a request body as JSON (or YAML when the content type says so). */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = /yaml/i.test(contentType ?? "")
      ? YAML.parse(text, { schema: "yaml-1.1", logLevel: "silent", maxAliasCount: 100 })
      : JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `the request body could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (nestingDepth(value, MAX_DEPTH) > MAX_DEPTH) {
    throw badRequest(`the request body could not be decoded: exceeded max depth of ${MAX_DEPTH}`);
  }
  return value;
}

function requireWritable(p: ResourcePath): void {
  if (!isWritable(p.served)) throw methodNotAllowed();
}

/** Checks and completes an incoming object against the URL (apiVersion, kind, namespace). */
function incoming(p: ResourcePath, body: unknown): KubeObject {
  if (!isObject(body)) throw badRequest("the request body must be a JSON object");
  const expected = servedApiVersion(p.served);
  const obj = structuredClone(body) as KubeObject;
  for (const [field, name] of [
    ["kind", "Kind"],
    ["apiVersion", "apiVersion"],
  ] as const) {
    if (typeof obj[field] !== "string" || obj[field] === "") {
      throw badRequest(`Object '${name}' is missing in '${truncated(JSON.stringify(body))}'`);
    }
  }
  if (obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== p.served.kind) {
    throw badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${p.served.kind})`,
    );
  }
  obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
  if (p.served.namespaced) {
    const ns = obj.metadata.namespace;
    if (ns !== undefined && ns !== "" && ns !== p.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    obj.metadata.namespace = p.namespace ?? "default";
  }
  return obj;
}

function truncated(text: string): string {
  return text.length > 1024 ? `${text.slice(0, 1024)}...` : text;
}

/**
 * Admission (decoding, Tekton's webhooks, metadata checks) on an object without its status;
 * returns the stored shape. Warnings go to `q.warnings`.
 */
function admitted(deps: ApiDeps, p: ResourcePath, obj: KubeObject, q: WriteQuery): KubeObject {
  const { status, ...rest } = obj;
  const result = admit(rest as KubeObject, deps.features, deps.defaults, {
    fieldValidation: q.fieldValidation,
  });
  if ("error" in result) {
    throw deniedBy(result.denial, {
      kind: p.served.kind,
      group: p.served.group,
      version: p.served.version,
      name: obj.metadata.name ?? obj.metadata.generateName ?? "",
    });
  }
  q.warnings.push(...result.warnings);
  const out = toStorage(p.served, result.object);
  if (status !== undefined) out["status"] = status;
  const bytes = Buffer.byteLength(JSON.stringify(out));
  if (bytes > MAX_OBJECT_BYTES) {
    throw new ApiError(413, StatusReason.RequestEntityTooLarge, "etcdserver: request is too large");
  }
  return out;
}

function requireNamespace(deps: ApiDeps, p: ResourcePath): void {
  if (!p.served.namespaced) return;
  const ns = p.namespace ?? "default";
  if (deps.store.get(ResourceTypes.Namespace, undefined, ns) === undefined) throw notFound("namespaces", ns);
}

function dryRunCreated(deps: ApiDeps, obj: KubeObject): KubeObject {
  const name = obj.metadata.name ?? `${obj.metadata.generateName ?? ""}dryrun`;
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      name,
      uid: randomUUID(),
      creationTimestamp: deps
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
    },
  };
}

/** POST on a collection. */
export function createObject(deps: ApiDeps, p: ResourcePath, body: unknown, q: WriteQuery): KubeObject {
  requireWritable(p);
  const obj = incoming(p, body);
  if (p.served.type.statusSubresource) delete obj["status"];
  if (obj.kind === "Namespace") obj["status"] = { phase: "Active" };
  const stored = admitted(deps, p, obj, q);
  requireNamespace(deps, p);
  if (q.dryRun) return render(p.served, dryRunCreated(deps, stored));
  return render(p.served, deps.store.create(p.served.type, stored));
}

function checkName(obj: KubeObject, name: string): void {
  const given = obj.metadata.name;
  if (given === undefined || given === "") obj.metadata.name = name;
  else if (given !== name)
    throw badRequest(`the name of the object (${given}) does not match the name on the URL (${name})`);
}

function store(deps: ApiDeps, p: ResourcePath, obj: KubeObject, q: WriteQuery): KubeObject {
  const status = p.subresource === "status";
  if (q.dryRun) {
    const current = deps.store.get(p.served.type, p.namespace, obj.metadata.name ?? "");
    if (current === undefined)
      throw notFound(qualifiedResource(p.served), obj.metadata.name ?? "", p.served.group);
    return render(
      p.served,
      status ? { ...current, status: obj["status"] } : { ...obj, status: current["status"] },
    );
  }
  const stored = status ? toStorage(p.served, obj) : admitted(deps, p, obj, q);
  if (!status && stored.kind === "TaskRun") {
    const current = deps.store.get<TaskRun>(p.served.type, p.namespace, stored.metadata.name ?? "");
    const refused = current !== undefined ? validateTaskRunUpdate(current, stored as TaskRun) : undefined;
    if (refused !== undefined) throw admissionDenied(refused);
  }
  if (!status && stored.kind === "PipelineRun") {
    const current = deps.store.get<PipelineRun>(p.served.type, p.namespace, stored.metadata.name ?? "");
    const refused =
      current !== undefined
        ? validatePipelineRunUpdate(current, stored as PipelineRun, deps.defaults)
        : undefined;
    if (refused !== undefined) throw admissionDenied(refused);
  }
  return render(p.served, deps.store.update(p.served.type, stored, status ? { subresource: "status" } : {}));
}

/** PUT on an object or its status. */
export function updateObject(
  deps: ApiDeps,
  p: ResourcePath,
  name: string,
  body: unknown,
  q: WriteQuery,
): KubeObject {
  requireWritable(p);
  const obj = incoming(p, body);
  checkName(obj, name);
  if (deps.store.get(p.served.type, p.namespace, name) === undefined) {
    throw notFound(qualifiedResource(p.served), name, p.served.group);
  }
  const rv = obj.metadata.resourceVersion;
  if (p.served.group !== "" && (rv === undefined || rv === "")) {
    // Custom resources have no unconditional update.
    const message = "Invalid value: 0x0: must be specified for an update";
    throw invalid(
      { kind: p.served.kind, group: p.served.group, version: p.served.version, name },
      `metadata.resourceVersion: ${message}`,
      [{ reason: "FieldValueInvalid", message, field: "metadata.resourceVersion" }],
    );
  }
  return store(deps, p, obj, q);
}

/**
 * PATCH (merge, JSON, strategic-as-merge) on an object or its status, retried on a concurrent
 * write unless the patch itself pinned a resourceVersion. Apply patches (server-side apply) are
 * approximated: create when missing, else merge the applied configuration into the object.
 */
export function patchObject(
  deps: ApiDeps,
  p: ResourcePath,
  name: string,
  type: PatchTypeT,
  patch: unknown,
  q: WriteQuery,
): { object: KubeObject; created: boolean } {
  requireWritable(p);
  for (let attempt = 0; ; attempt++) {
    const current = deps.store.get(p.served.type, p.namespace, name);
    if (current === undefined) {
      if (type === PatchType.Apply && p.subresource === undefined) {
        const obj = incoming(p, patch);
        checkName(obj, name);
        return { object: createObject(deps, p, obj, q), created: true };
      }
      throw notFound(qualifiedResource(p.served), name, p.served.group);
    }
    const base = render(p.served, current);
    const next =
      type === PatchType.Apply
        ? (mergePatch(base, incoming(p, patch)) as KubeObject)
        : (applyPatch(type, base, patch) as KubeObject);
    if (!isObject(next) || !isObject(next.metadata))
      throw badRequest("the patched object is not a valid object");
    const pinned = next.metadata.resourceVersion !== current.metadata.resourceVersion;
    if (!pinned) next.metadata.resourceVersion = current.metadata.resourceVersion;
    const obj = incoming(p, next);
    checkName(obj, name);
    try {
      return { object: store(deps, p, obj, q), created: false };
    } catch (err) {
      if (!(err instanceof ConflictError) || pinned || attempt >= PATCH_RETRIES) throw err;
    }
  }
}

function deleteOptions(body: unknown): { resourceVersion?: string; uid?: string } {
  const pre = isObject(body) && isObject(body["preconditions"]) ? body["preconditions"] : {};
  return {
    ...(typeof pre["resourceVersion"] === "string" ? { resourceVersion: pre["resourceVersion"] } : {}),
    ...(typeof pre["uid"] === "string" ? { uid: pre["uid"] } : {}),
  };
}

/**
 * DELETE of one object; its dependents (ownerReferences) go with it unless the DeleteOptions say
 * `propagationPolicy: Orphan`; deleting a Namespace deletes everything in it.
 */
export function deleteObject(
  deps: ApiDeps,
  p: ResourcePath,
  name: string,
  body: unknown,
  q: WriteQuery,
): KubeObject {
  requireWritable(p);
  const current = deps.store.get(p.served.type, p.namespace, name);
  if (current === undefined) throw notFound(qualifiedResource(p.served), name, p.served.group);
  if (q.dryRun) return render(p.served, current);
  const deleted = deps.store.delete(p.served.type, p.namespace, name, deleteOptions(body));
  const policy =
    isObject(body) && typeof body["propagationPolicy"] === "string" ? body["propagationPolicy"] : undefined;
  if (p.served.namespaced) {
    const dependents = deleteDependents(deps.store, namespacedTypes(), deleted, policy);
    if (p.served.type !== ResourceTypes.Event) deleteEventsOf(deps.store, [deleted, ...dependents]);
  }
  if (p.served.type === ResourceTypes.Namespace) {
    for (const type of namespacedTypes()) {
      for (const obj of deps.store.list(type, { namespace: name }).items) {
        deps.store.delete(type, name, obj.metadata.name ?? "");
      }
    }
  }
  return render(p.served, deleted);
}

/** DELETE of a collection (with selectors): deletes each match; returns them as a list. */
export function deleteCollection(
  deps: ApiDeps,
  p: ResourcePath,
  selectors: { labelSelector?: string; fieldSelector?: string },
  q: WriteQuery,
): KubeObject[] {
  requireWritable(p);
  const items = deps.store.list(p.served.type, {
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...selectors,
  }).items;
  if (q.dryRun) return items.map((o) => render(p.served, o));
  return items.map((o) =>
    deleteObject(deps, { ...p, namespace: o.metadata.namespace }, o.metadata.name ?? "", undefined, q),
  );
}
