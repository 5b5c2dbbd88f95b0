/**
 * The HTTP application: authentication, body limit, request metrics, discovery, OpenAPI and
 * the resource routes. Handlers are thin: they parse the request, call `read.ts` / `write.ts` /
 * `logs.ts`, and every failure is turned into a `Status` by `toStatus` in `onError`.
 *
 * @module
 */

import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PUBLIC_PATHS, isAuthorized } from "./auth.js";
import { parseResourcePath, type ApiDeps, type ResourcePath } from "./context.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.js";
import {
  ApiError,
  StatusReason,
  badRequest,
  noSuchResource,
  methodNotAllowed,
  statusBody,
  toStatus,
} from "./errors.js";
import { sendJson } from "./encoded.js";
import { podLogs } from "./logs.js";
import type { ServerMetrics } from "./metrics.js";
import { openApiV2Document, openApiV3Document, openApiV3Index } from "./openapi.js";
import { patchTypeOf } from "./patch.js";
import { PROTOBUF_CONTENT_TYPE, decodeProtobuf } from "./protobuf.js";
import { getObject, listObjects, watch, type ReadQuery } from "./read.js";
import { isUiPath, uiResponse } from "./ui.js";
import {
  createObject,
  deleteCollection,
  deleteObject,
  fieldValidationOf,
  parseBody,
  patchObject,
  requireBodyType,
  updateObject,
  type WriteQuery,
} from "./write.js";

/** Largest accepted request body (3 MiB, as the Kubernetes API server). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** What the app needs beyond the handler dependencies. */
export interface AppOptions extends ApiDeps {
  token: string;
  metrics: ServerMetrics;
  tektiteVersion: string;
  /** Registers a closer for a long-lived stream (watches) so shutdown can end them. */
  track: (close: () => void) => () => void;
  /** Directory of the built dashboard, served at `/`. */
  uiDir: string;
}

interface Vars {
  Variables: { verb: string; resource: string };
}

function json(c: Context, body: unknown, code = 200): Response {
  return c.body(JSON.stringify(body), code as 200, { "content-type": "application/json" });
}

function flag(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

function intParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ApiError(400, StatusReason.BadRequest, `invalid ${name}: "${value}"`);
  return n;
}

function verbOf(method: string, p: ResourcePath, watching: boolean): string {
  switch (method) {
    case "GET":
      return watching ? "watch" : p.name === undefined ? "list" : "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return p.name === undefined ? "deletecollection" : "delete";
    default:
      return method.toLowerCase();
  }
}

async function handleResource(
  c: Context<Vars>,
  opts: AppOptions,
  group: string,
  version: string,
  segments: string[],
): Promise<Response> {
  const p = parseResourcePath(group, version, segments);
  const q = c.req.query();
  const watching = flag(q["watch"]);
  c.set("verb", verbOf(c.req.method, p, watching));
  c.set("resource", p.subresource ? `${p.served.resource}/${p.subresource}` : p.served.resource);
  const read: ReadQuery = { accept: c.req.header("accept"), get: (n) => q[n] };
  const writeQuery: WriteQuery = {
    dryRun: q["dryRun"] === "All",
    fieldValidation: fieldValidationOf(q["fieldValidation"]),
    warnings: [],
  };
  const answer = (body: unknown, code = 200): Response => {
    for (const w of writeQuery.warnings) c.header("Warning", `299 - ${JSON.stringify(w)}`, { append: true });
    return json(c, body, code);
  };
  const ns = p.namespace;
  const method = c.req.method;

  if (p.subresource === "log") {
    if (method !== "GET" || p.name === undefined || ns === undefined) throw methodNotAllowed();
    const tailLines = intParam(q["tailLines"], "tailLines");
    const limitBytes = intParam(q["limitBytes"], "limitBytes");
    const sinceSeconds = intParam(q["sinceSeconds"], "sinceSeconds");
    const sinceTime =
      q["sinceTime"] !== undefined && q["sinceTime"] !== "" ? Date.parse(q["sinceTime"]) : undefined;
    if (sinceTime !== undefined && Number.isNaN(sinceTime))
      throw new ApiError(400, StatusReason.BadRequest, `invalid sinceTime: "${q["sinceTime"] ?? ""}"`);
    const since =
      sinceSeconds !== undefined
        ? new Date(opts.now().getTime() - sinceSeconds * 1000)
        : sinceTime !== undefined
          ? new Date(sinceTime)
          : undefined;
    return podLogs(
      opts,
      ns,
      p.name,
      {
        ...(q["container"] !== undefined ? { container: q["container"] } : {}),
        follow: flag(q["follow"]),
        timestamps: flag(q["timestamps"]),
        ...(tailLines !== undefined ? { tailLines } : {}),
        ...(limitBytes !== undefined ? { limitBytes } : {}),
        ...(since !== undefined ? { since } : {}),
      },
      c.req.raw.signal,
    );
  }
  if (p.name === undefined) {
    if (method === "GET" && watching)
      return watch(opts, p, read, { signal: c.req.raw.signal, track: opts.track });
    if (method === "GET") return sendJson(c, listObjects(opts, p, read));
    if (method === "POST") return answer(createObject(opts, p, await body(c), writeQuery), 201);
    if (method === "DELETE") {
      const sel = {
        ...(q["labelSelector"] ? { labelSelector: q["labelSelector"] } : {}),
        ...(q["fieldSelector"] ? { fieldSelector: q["fieldSelector"] } : {}),
      };
      const items = deleteCollection(opts, p, sel, writeQuery);
      return json(c, {
        apiVersion: p.served.group === "" ? "v1" : `${p.served.group}/${p.served.version}`,
        kind: `${p.served.kind}List`,
        metadata: {},
        items,
      });
    }
    throw methodNotAllowed();
  }
  const name = p.name;
  switch (method) {
    case "GET":
      if (watching) {
        const fieldSelector = [`metadata.name=${name}`, q["fieldSelector"]].filter(Boolean).join(",");
        return watch(
          opts,
          { ...p, name: undefined },
          { ...read, get: (n) => (n === "fieldSelector" ? fieldSelector : q[n]) },
          {
            signal: c.req.raw.signal,
            track: opts.track,
          },
        );
      }
      return json(c, getObject(opts, p, name, read));
    case "PUT":
      return answer(updateObject(opts, p, name, await body(c), writeQuery));
    case "PATCH": {
      const type = patchTypeOf(c.req.header("content-type"));
      const patch = parseBody(await c.req.text(), type === "application/apply-patch+yaml" ? "yaml" : "json");
      const result = patchObject(opts, p, name, type, patch, writeQuery);
      return answer(result.object, result.created ? 201 : 200);
    }
    case "DELETE":
      // A protobuf DeleteOptions is not decoded: its preconditions are ignored.
      const options = c.req.header("content-type")?.startsWith(PROTOBUF_CONTENT_TYPE)
        ? undefined
        : await body(c);
      return json(c, deleteObject(opts, p, name, options, writeQuery));
    default:
      throw methodNotAllowed();
  }
}

/** The request body as an object: JSON, YAML, or Kubernetes protobuf (core kinds only). */
async function body(c: Context): Promise<unknown> {
  const type = c.req.header("content-type");
  requireBodyType(type);
  if (type?.startsWith(PROTOBUF_CONTENT_TYPE)) return decodeProtobuf(Buffer.from(await c.req.arrayBuffer()));
  return parseBody(await c.req.text(), type);
}

function hasDotSegment(rawUrl: string): boolean {
  const path = rawUrl.split("?")[0] ?? "";
  return path.split("/").some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
}

function rawSegments(c: Context, prefixSegments: number): string[] {
  const path = new URL(c.req.url).pathname;
  return path.split("/").slice(1 + prefixSegments);
}

/** Builds the Hono application. */
export function createApp(opts: AppOptions): Hono<Vars> {
  const app = new Hono<Vars>();

  app.onError((err, c) => {
    const status = toStatus(err);
    return json(c, status, status.code);
  });
  app.notFound((c) => json(c, toStatus(noSuchResource()), 404));

  app.use("*", async (c, next) => {
    const started = process.hrtime.bigint();
    c.set("verb", c.req.method.toLowerCase());
    c.set("resource", "");
    await next();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    opts.metrics.observeRequest(c.get("verb"), c.get("resource"), c.res.status, seconds);
  });
  app.use("*", async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || (c.req.method === "GET" && isUiPath(c.req.path))) return next();
    if (!isAuthorized(c.req.header("authorization"), opts.token)) {
      return json(c, statusBody(401, StatusReason.Unauthorized, "Unauthorized"), 401);
    }
    return next();
  });
  app.use("*", async (c, next) => {
    // The URL parser removes dot segments (also %2e%2e); the raw request line still has them.
    const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
    if (raw !== undefined && hasDotSegment(raw)) {
      throw badRequest(`invalid request path ${JSON.stringify(raw)}: '.' and '..' segments are not allowed`);
    }
    return next();
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        json(
          c,
          statusBody(
            413,
            StatusReason.RequestEntityTooLarge,
            `Request entity too large: limit is ${MAX_BODY_BYTES}`,
          ),
          413,
        ),
    }),
  );

  app.use("*", async (c, next) => {
    await next();
    // A write is acknowledged only once it is on stable storage (commits are synced in groups).
    if (c.req.method !== "GET" && c.req.method !== "HEAD") await opts.store.flush();
  });

  for (const path of ["/healthz", "/livez", "/readyz"]) app.get(path, (c) => c.text("ok"));
  const dashboard = async (c: Context): Promise<Response> => {
    const res = await uiResponse(opts.uiDir, c.req.path);
    if (res === undefined)
      throw new ApiError(404, StatusReason.NotFound, "the dashboard is not built (npm run build)");
    return res;
  };
  app.get("/", dashboard);
  app.get("/index.html", dashboard);
  app.get("/assets/*", dashboard);
  app.get("/version", (c) => json(c, versionInfo(opts.tektiteVersion)));
  app.get("/metrics", async (c) => {
    const { contentType, body } = await opts.metrics.render();
    return c.body(body, 200, { "content-type": contentType });
  });
  app.get("/openapi/v2", (c) => json(c, openApiV2Document()));
  app.get("/openapi/v3", (c) => json(c, openApiV3Index()));
  app.get("/openapi/v3/*", (c) => {
    const doc = openApiV3Document(c.req.path.slice("/openapi/v3/".length));
    if (doc === undefined) throw noSuchResource();
    return json(c, doc);
  });
  app.get("/api", (c) => json(c, apiVersions()));
  app.get("/apis", (c) => json(c, apiGroupList()));
  app.get("/api/v1", (c) => json(c, apiResourceList("", "v1")));
  app.get("/apis/:group", (c) => {
    const doc = apiGroup(c.req.param("group"));
    if (doc === undefined) throw noSuchResource();
    return json(c, doc);
  });
  app.get("/apis/:group/:version", (c) => {
    const doc = apiResourceList(c.req.param("group"), c.req.param("version"));
    if (doc === undefined) throw noSuchResource();
    return json(c, doc);
  });
  app.all("/api/v1/*", (c) => handleResource(c, opts, "", "v1", rawSegments(c, 2)));
  app.all("/apis/:group/:version/*", (c) =>
    handleResource(c, opts, c.req.param("group"), c.req.param("version"), rawSegments(c, 3)),
  );
  return app;
}
