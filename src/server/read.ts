/**
 * Reads: get, list (with selectors, `limit`/`continue`), watch — over stored resources and the
 * synthesized Pods — answered as JSON objects or as Tables.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import {
  WatchEventType,
  parseFieldSelector,
  parseLabelSelector,
  type WatchEvent,
  type WatchOptions,
} from "../store/index.js";
import type { ApiDeps, ResourcePath } from "./context.js";
import { badRequest, notFound } from "./errors.js";
import { findPod, listPods, watchPods } from "./pod-source.js";
import { encodedListEnvelope, encodedListStream, listEnvelope, render, servedAsStored } from "./render.js";
import { qualifiedResource } from "./resources.js";
import { includeObjectOf, toTable, wantsTable } from "./table.js";
import { defaultWatchTimeoutMs, watchResponse } from "./watch.js";

/** Query parameters and headers a read looks at. */
export interface ReadQuery {
  accept: string | undefined;
  get: (name: string) => string | undefined;
}

/** Options of {@link watch}. */
export interface WatchContext {
  signal: AbortSignal;
  track: (close: () => void) => () => void;
}

function tableOpts(deps: ApiDeps, q: ReadQuery): { now: Date; include: ReturnType<typeof includeObjectOf> } {
  return { now: deps.now(), include: includeObjectOf(q.get("includeObject")) };
}

/** GET of one object (or its status). */
export function getObject(deps: ApiDeps, p: ResourcePath, name: string, q: ReadQuery): unknown {
  const obj = p.served.synthesized
    ? findPod(deps.store, p.namespace ?? "default", name)?.pod
    : deps.store.get(p.served.type, p.namespace, name);
  if (obj === undefined) throw notFound(qualifiedResource(p.served), name, p.served.group);
  const out = render(p.served, obj);
  if (wantsTable(q.accept))
    return toTable(p.served, [out], {
      ...tableOpts(deps, q),
      resourceVersion: out.metadata.resourceVersion ?? "",
    });
  return out;
}

function positiveInt(value: string | undefined, param: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid ${param}: "${value}"`);
  return n;
}

/** GET of a collection. */
export function listObjects(deps: ApiDeps, p: ResourcePath, q: ReadQuery): unknown {
  const labelSelector = q.get("labelSelector");
  const fieldSelector = q.get("fieldSelector");
  const selectors = {
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
  let items: KubeObject[];
  let meta: { resourceVersion: string; continue?: string };
  if (p.served.synthesized) {
    const pods = listPods(deps.store, selectors);
    items = pods.items;
    meta = { resourceVersion: pods.resourceVersion };
  } else {
    const limit = positiveInt(q.get("limit"), "limit");
    const cont = q.get("continue");
    const listOpts = {
      ...selectors,
      ...(limit !== undefined ? { limit } : {}),
      ...(cont ? { continue: cont } : {}),
    };
    if (!wantsTable(q.accept) && servedAsStored(p.served, p.served.type)) {
      // A whole list is sent as it is read, so the server never holds all of it.
      if (!limit && !cont)
        return encodedListStream(p.served, deps.store.streamEncoded(p.served.type, selectors));
      return encodedListEnvelope(p.served, deps.store.listEncoded(p.served.type, listOpts));
    }
    const page = deps.store.list(p.served.type, listOpts);
    items = page.items;
    meta = { resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue } : {}) };
  }
  if (wantsTable(q.accept))
    return toTable(
      p.served,
      items.map((o) => render(p.served, o)),
      { ...tableOpts(deps, q), ...meta },
    );
  return listEnvelope(p.served, items, meta);
}

/** `?watch=true` on a collection: a streaming response. */
export function watch(deps: ApiDeps, p: ResourcePath, q: ReadQuery, ctx: WatchContext): Response {
  const rv = q.get("resourceVersion");
  const labelSelector = q.get("labelSelector");
  const fieldSelector = q.get("fieldSelector");
  const bookmarks = q.get("allowWatchBookmarks") === "true" || q.get("allowWatchBookmarks") === "1";
  const opts: WatchOptions = {
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...(rv ? { resourceVersion: rv } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    ...(bookmarks ? { bookmarks: true } : {}),
  };
  const timeoutSeconds = positiveInt(q.get("timeoutSeconds"), "timeoutSeconds");
  // Malformed selectors are a 400 before the stream starts.
  parseLabelSelector(labelSelector);
  parseFieldSelector(fieldSelector, p.served.type.selectableFields ?? []);
  const table = wantsTable(q.accept);
  const transform = (event: WatchEvent): Record<string, unknown> | undefined => {
    const obj = render(p.served, event.object);
    if (!table) return obj;
    if (event.type === WatchEventType.Bookmark) return obj;
    return toTable(p.served, [obj], {
      ...tableOpts(deps, q),
      resourceVersion: obj.metadata.resourceVersion ?? "",
    });
  };
  return watchResponse({
    start: (listener) =>
      p.served.synthesized
        ? watchPods(deps.store, opts, listener)
        : deps.store.watch(p.served.type, opts, listener),
    transform,
    signal: ctx.signal,
    timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : defaultWatchTimeoutMs(),
    track: ctx.track,
  });
}
