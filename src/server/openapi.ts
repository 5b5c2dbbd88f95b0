/**
 * OpenAPI documents, just enough for kubectl:
 * - `/openapi/v3` lists one document per served group/version; each document has, for every
 *   resource, its paths with a PATCH operation tagged `x-kubernetes-group-version-kind` that
 *   accepts the `fieldValidation` query parameter. kubectl then leaves validation to the server
 *   (it sends `fieldValidation=Strict`; tektite validates with Tekton's admission instead and
 *   ignores unknown fields, as a CRD with `x-kubernetes-preserve-unknown-fields` would).
 * - Tekton kinds get their schema (`api/schema`, the decoder's own), so `kubectl explain` describes
 *   every field down to the leaves. Core kinds get no schema, so kubectl falls back to its
 *   built-in types for strategic merge.
 * - `/openapi/v2` is the same schemas in Swagger 2.0 form.
 *
 * @module
 */

import { schemaFor } from "../api/schema/kinds.js";
import { toOpenApi, toSwagger } from "../api/schema/openapi.js";
import { SERVED, servedAt, type ServedResource } from "./resources.js";

function schemaName(s: ServedResource): string {
  return `dev.tekton.${s.version}.${s.kind}`;
}

function gvk(s: ServedResource): Record<string, string> {
  return { group: s.group, version: s.version, kind: s.kind };
}

function tektonSchema(s: ServedResource, v3: boolean): Record<string, unknown> {
  const kind = schemaFor(`${s.group}/${s.version}`, s.kind);
  const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  const body =
    kind === undefined
      ? {
          type: "object",
          properties: {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: open,
            spec: open,
          },
        }
      : v3
        ? toOpenApi(kind.schema)
        : toSwagger(kind.schema);
  return { ...body, "x-kubernetes-group-version-kind": [gvk(s)] };
}

function basePath(s: ServedResource): string {
  const prefix = s.group === "" ? `/api/${s.version}` : `/apis/${s.group}/${s.version}`;
  return s.namespaced ? `${prefix}/namespaces/{namespace}/${s.resource}` : `${prefix}/${s.resource}`;
}

const QUERY = (name: string): Record<string, unknown> => ({
  name,
  in: "query",
  schema: { type: "string" },
  uniqueItems: true,
});

function operation(s: ServedResource, action: string, v3: boolean): Record<string, unknown> {
  const params = ["dryRun", "fieldManager", "fieldValidation", ...(action === "patch" ? ["force"] : [])].map(
    (n) => (v3 ? QUERY(n) : { name: n, in: "query", type: "string", uniqueItems: true }),
  );
  const ref =
    s.group === ""
      ? undefined
      : v3
        ? `#/components/schemas/${schemaName(s)}`
        : `#/definitions/${schemaName(s)}`;
  const response =
    ref === undefined
      ? { description: "OK" }
      : v3
        ? { description: "OK", content: { "application/json": { schema: { $ref: ref } } } }
        : { description: "OK", schema: { $ref: ref } };
  return {
    operationId: `${action}${s.kind}`,
    parameters: action === "get" ? [] : params,
    responses: { "200": response },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk(s),
  };
}

function paths(resources: readonly ServedResource[], v3: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of resources) {
    const item: Record<string, unknown> = { get: operation(s, "get", v3) };
    const collection: Record<string, unknown> = { get: operation(s, "list", v3) };
    if (!s.synthesized) {
      item["put"] = operation(s, "put", v3);
      item["patch"] = operation(s, "patch", v3);
      item["delete"] = operation(s, "delete", v3);
      collection["post"] = operation(s, "post", v3);
    }
    out[`${basePath(s)}/{name}`] = item;
    out[basePath(s)] = collection;
  }
  return out;
}

function schemas(resources: readonly ServedResource[], v3: boolean): Record<string, unknown> {
  return Object.fromEntries(
    resources.filter((s) => s.group !== "").map((s) => [schemaName(s), tektonSchema(s, v3)]),
  );
}

function gvPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

const GROUP_VERSIONS = [...new Map(SERVED.map((s) => [gvPath(s.group, s.version), s] as const)).values()];

/** `/openapi/v3`: the index of per-group-version documents. */
export function openApiV3Index(): Record<string, unknown> {
  const entries = GROUP_VERSIONS.map((s) => {
    const path = gvPath(s.group, s.version);
    return [path, { serverRelativeURL: `/openapi/v3/${path}?hash=tektite-0` }] as const;
  });
  return { paths: Object.fromEntries(entries) };
}

/** `/openapi/v3/<api/v1 | apis/group/version>`, or undefined when nothing is served there. */
export function openApiV3Document(path: string): Record<string, unknown> | undefined {
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? "";
  const version = m[1] ?? m[3] ?? "";
  const resources = servedAt(group, version);
  if (resources.length === 0) return undefined;
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths: paths(resources, true),
    components: { schemas: schemas(resources, true) },
  };
}

/** `/openapi/v2`. */
export function openApiV2Document(): Record<string, unknown> {
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths: paths(SERVED, false),
    definitions: schemas(SERVED, false),
  };
}
