/**
 * What every handler needs: the store, Tekton's config for admission, the data directory, the
 * clock, and the parsed resource path of the request.
 *
 * @module
 */

import type { ConfigDefaults, FeatureFlags } from "../config/features.js";
import type { Store } from "../store/index.js";
import { badRequest, noSuchResource } from "./errors.js";
import { findServed, type ServedResource } from "./resources.js";

/** Dependencies of the API handlers. */
export interface ApiDeps {
  store: Store;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** Where `pods/<ns>/<pod>/logs/<container>.log` live. */
  dataDir: string;
  now: () => Date;
  /** Poll interval of `pods/log?follow=true` (ms). */
  logPollMs: number;
}

/** A request on a resource path. */
export interface ResourcePath {
  served: ServedResource;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `s` is an RFC 1123 label (namespaces, container names). */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

/** Whether `s` is an RFC 1123 subdomain (object names). */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN.test(s);
}

function segmentName(raw: string, what: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw badRequest(`invalid ${what} in path: "${raw}"`);
  }
  if (decoded === "" || decoded === "." || decoded === ".." || /[/%\\\0]/.test(decoded)) {
    throw badRequest(
      `invalid ${what} in path: "${decoded}": may not be '.' or '..' and may not contain '/', '%' or '\\'`,
    );
  }
  return decoded;
}

/**
 * Parses the segments after `/api/v1` or `/apis/{group}/{version}` (still percent-encoded):
 * `namespaces/{ns}/{resource}[/{name}[/{sub}]]` or `{resource}[/{name}[/{sub}]]`.
 */
export function parseResourcePath(group: string, version: string, rawSegments: string[]): ResourcePath {
  const segs = rawSegments.filter((s, i) => s !== "" || i < rawSegments.length - 1);
  const nested =
    segs[0] === "namespaces" && segs.length >= 3 ? findServed(group, version, segs[2] ?? "") : undefined;
  if (nested?.namespaced) {
    if (segs.length > 5) throw noSuchResource();
    const namespace = segmentName(segs[1] ?? "", "namespace");
    if (!isDnsLabel(namespace))
      throw badRequest(`invalid namespace "${namespace}": a lowercase RFC 1123 label is required`);
    return withTail(nested, namespace, segs.slice(3));
  }
  const served = findServed(group, version, segs[0] ?? "");
  if (served === undefined || segs.length > 3) throw noSuchResource();
  if (served.namespaced && segs.length > 1) throw noSuchResource();
  return withTail(served, undefined, segs.slice(1));
}

function withTail(served: ServedResource, namespace: string | undefined, tail: string[]): ResourcePath {
  const [name, subresource] = tail;
  const out: ResourcePath = { served };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = segmentName(name, "name");
  if (subresource !== undefined) {
    const allowed =
      subresource === "status"
        ? served.type.statusSubresource
        : subresource === "log" && served.resource === "pods";
    if (!allowed) throw noSuchResource();
    out.subresource = subresource;
  }
  return out;
}
