/**
 * How stored objects are shown on a served version: the stored shape with `apiVersion` set to
 * the request's version (tektite converts v1beta1 to v1 on the way in, not back on the way out).
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { apiVersionOf, type EncodedList, type EncodedListStream, type ResourceType } from "../store/index.js";
import { EncodedJson, EncodedJsonStream } from "./encoded.js";
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

/** Items read per piece of a streamed list (a few hundred KB of TaskRuns). */
const STREAM_ITEMS = 32;

/** `{"apiVersion":…,"kind":"<Kind>List","metadata":{…},"items":[` */
function listHead(s: ServedResource, meta: { resourceVersion: string; continue?: string }): Buffer {
  const head = JSON.stringify({
    apiVersion: servedApiVersion(s),
    kind: `${s.kind}List`,
    metadata: {
      resourceVersion: meta.resourceVersion,
      ...(meta.continue ? { continue: meta.continue } : {}),
    },
  });
  return Buffer.from(`${head.slice(0, -1)},"items":[`);
}

/** Appends `items` to `parts`, comma-separated (a comma first unless `first`). */
function pushItems(parts: Buffer[], items: Buffer[], first: boolean): void {
  for (const [i, item] of items.entries()) {
    if (i > 0 || !first) parts.push(COMMA);
    parts.push(item);
  }
}

/** A `<Kind>List` of stored JSON texts (see {@link servedAsStored}), assembled without parsing them. */
export function encodedListEnvelope(s: ServedResource, page: EncodedList): EncodedJson {
  const parts: Buffer[] = [listHead(s, page)];
  pushItems(parts, page.items, true);
  parts.push(END);
  return new EncodedJson(Buffer.concat(parts));
}

/** {@link encodedListEnvelope} of a whole list, produced a piece at a time as it is read from the store. */
export function encodedListStream(s: ServedResource, list: EncodedListStream): EncodedJsonStream {
  let state: "head" | "items" | "ended" = "head";
  const read = (): Buffer | undefined => {
    if (state === "ended") return undefined;
    const items = list.next(STREAM_ITEMS);
    // One string per piece, encoded once: no buffer per item.
    let text =
      state === "head" ? listHead(s, list).toString("utf8") + items.join(",") : "," + items.join(",");
    if (state === "items" && items.length === 0) text = "";
    state = "items";
    if (items.length === 0) {
      text += "]}";
      state = "ended";
    }
    return Buffer.from(text, "utf8");
  };
  return new EncodedJsonStream(read, () => list.close());
}
