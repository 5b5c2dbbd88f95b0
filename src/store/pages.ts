/**
 * Walking every object of a type a page at a time, so a caller that looks at each object once
 * never holds all of them (10,000 stored TaskRuns are ~100 MB once parsed).
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import type { ListOptions, ResourceType, Store } from "./store.js";

/** Objects per page of {@link eachObject}. */
export const PAGE_SIZE = 500;

/**
 * Calls `visit` for every matching object, in list order; returns the resourceVersion of the
 * first page. The pages are read one after the other without yielding, so no write comes between.
 */
export function eachObject<T extends KubeObject>(
  store: Store,
  type: ResourceType,
  opts: Omit<ListOptions, "limit" | "continue">,
  visit: (obj: T) => void,
): string {
  let page = store.list<T>(type, { ...opts, limit: PAGE_SIZE });
  const resourceVersion = page.resourceVersion;
  for (;;) {
    for (const obj of page.items) visit(obj);
    if (page.continue === undefined) return resourceVersion;
    page = store.list<T>(type, { ...opts, limit: PAGE_SIZE, continue: page.continue });
  }
}

/** How many matching objects satisfy `predicate`. */
export function countObjects<T extends KubeObject>(
  store: Store,
  type: ResourceType,
  predicate: (obj: T) => boolean,
): number {
  let n = 0;
  eachObject<T>(store, type, {}, (obj) => {
    if (predicate(obj)) n++;
  });
  return n;
}
