/**
 * Fixtures shared by the conformance suite files.
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import type { Store, StoreOptions } from "./store.js";

/** Makes a fresh, empty store. Options let tests shrink the history. */
export type StoreFactory = (opts: StoreOptions) => Store;

/** A TaskRun fixture. */
export function taskRun(
  name: string,
  opts: { namespace?: string; labels?: Record<string, string>; spec?: Record<string, unknown> } = {},
): KubeObject {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    spec: opts.spec ?? { taskRef: { name: "t" } },
  };
}

/** Runs `fn` with a fresh store and closes it afterwards. */
export function withStore(make: StoreFactory, opts: StoreOptions, fn: (s: Store) => void): void {
  const s = make(opts);
  try {
    fn(s);
  } finally {
    s.close();
  }
}
