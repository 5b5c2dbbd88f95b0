/**
 * Writes: create, update (PUT), patch, delete and deletecollection, each going through Tekton's
 * admission (`admit`: convert to the stored version, default, validate) for Tekton kinds, with
 * `?dryRun=All` answered without storing.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import YAML from "yaml";
import { admit } from "../api/admission.js";
import { isAdmitted } from "../api/kinds.js";
import { validatePipelineRunUpdate } from "../api/validation/pipelinerun-update.js";
import { validateTaskRunUpdate } from "../api/validation/taskrun-update.js";
import type { PipelineRun } from "../api/pipeline-types.js";
import type { KubeObject, TaskRun } from "../api/types.js";
import { ConflictError, ResourceTypes, type ResourceType } from "../store/index.js";
import type { ApiDeps, ResourcePath } from "./context.js";
import { admissionDenied, badRequest, methodNotAllowed, notFound } from "./errors.js";
import { PatchType, applyPatch, mergePatch, type PatchType as PatchTypeT } from "./patch.js";
import { render, toStorage } from "./render.js";
import { SERVED, isWritable, qualifiedResource, servedApiVersion } from "./resources.js";

const PATCH_RETRIES = 5;

/** Write options from the query string. */
export interface WriteQuery {
  dryRun: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses a request body as JSON (or YAML when the content type says so). */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === "") return undefined;
  try {
    return /yaml/i.test(contentType ?? "") ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `the request body could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function requireWritable(p: ResourcePath): void {
  if (!isWritable(p.served)) throw methodNotAllowed();
}

/** Checks and completes an incoming object against the URL (apiVersion, kind, namespace). */
function incoming(p: ResourcePath, body: unknown): KubeObject {
  if (!isObject(body)) throw badRequest("the request body must be a JSON object");
  const expected = servedApiVersion(p.served);
  const obj = structuredClone(body) as KubeObject;
  obj.apiVersion = typeof obj.apiVersion === "string" && obj.apiVersion !== "" ? obj.apiVersion : expected;
  obj.kind = typeof obj.kind === "string" && obj.kind !== "" ? obj.kind : p.served.kind;
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

/** Runs Tekton's admission on a Tekton object (without its status); returns the stored shape. */
function admitted(deps: ApiDeps, p: ResourcePath, obj: KubeObject): KubeObject {
  if (!isAdmitted(obj.kind) && obj.kind !== "Secret") return toStorage(p.served, obj);
  const { status, ...rest } = obj;
  const result = admit(rest as KubeObject, deps.features, deps.defaults);
  if ("error" in result) throw admissionDenied(result.error);
  const out = toStorage(p.served, result.object);
  if (status !== undefined) out["status"] = status;
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
  const stored = admitted(deps, p, obj);
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
  const stored = status ? toStorage(p.served, obj) : admitted(deps, p, obj);
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

/** Types stored in a namespace, each once (several served versions share a stored type). */
function namespacedTypes(): ResourceType[] {
  return [...new Set(SERVED.filter((s) => s.namespaced && !s.synthesized).map((s) => s.type))];
}

/** DELETE of one object; deleting a Namespace deletes everything in it first. */
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
