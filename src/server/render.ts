/**
 * How stored objects are shown on a served version: the stored shape with `apiVersion` set to
 * the request's version (tektite converts v1beta1 to v1 on the way in, not back on the way out).
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { apiVersionOf, type EncodedList, type ResourceType } from "../store/index.js";
import { EncodedJson } from "./encoded.js";
import { servedApiVersion, type ServedResource } from "./resources.js";

/** The object as served at `s`'s version. */
export function render<T extends KubeObject>(s: ServedResource, obj: T): T {
  const apiVersion = servedApiVersion(s);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** The object as stored (`apiVersion` of the storage version). */
export function toStorage<T extends KubeObject>(s: ServedResource, obj: T): T {
  return { ...obj, apiVersion: apiVersionOf(s.type), kind: s.type.kind };
}

/** A `<Kind>List`. */
export function listEnvelope(
  s: ServedResource,
  items: KubeObject[],
  meta: { resourceVersion: string; continue?: string },
): Record<string, unknown> {
  return {
    apiVersion: servedApiVersion(s),
    kind: `${s.kind}List`,
    metadata: {
      resourceVersion: meta.resourceVersion,
      ...(meta.continue ? { continue: meta.continue } : {}),
    },
    items: items.map((o) => render(s, o)),
  };
}

/** Whether objects stored as `type` are served unchanged at `s`'s version. */
export function servedAsStored(s: ServedResource, type: ResourceType): boolean {
  return servedApiVersion(s) === apiVersionOf(type);
}

const COMMA = Buffer.from(",");
const END = Buffer.from("]}");

/** A `<Kind>List` of stored JSON texts (see {@link servedAsStored}), assembled without parsing them. */
export function encodedListEnvelope(s: ServedResource, page: EncodedList): EncodedJson {
  const head = JSON.stringify({
    apiVersion: servedApiVersion(s),
    kind: `${s.kind}List`,
    metadata: {
      resourceVersion: page.resourceVersion,
      ...(page.continue ? { continue: page.continue } : {}),
    },
  });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"items":[`)];
  for (const [i, item] of page.items.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
  }
  parts.push(END);
  return new EncodedJson(Buffer.concat(parts));
}
