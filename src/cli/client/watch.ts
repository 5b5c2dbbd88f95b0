/**
 * Waiting on one object through the watch API: read it, and if it does not yet satisfy a
 * predicate, watch it from that resourceVersion (newline-delimited JSON events) until it does.
 * A watch that ends or expires (410) is restarted from a fresh read.
 *
 * @module
 */
import type { KubeObject } from "../../api/types.js";
import { CommandError } from "./errors.js";
import type { ApiClient } from "./http.js";
import { collectionPath, objectPath, type ResourceKind } from "./resources.js";

interface WatchEvent {
  type: string;
  object: KubeObject & { code?: number };
}

/** Reads one object. */
export function getObject<T extends KubeObject>(
  client: ApiClient,
  k: ResourceKind,
  namespace: string,
  name: string,
): Promise<T> {
  return client.request<T>("GET", objectPath(k, namespace, name));
}

/**
 * Resolves with the object as soon as `ready(object)` holds. Throws {@link CommandError} when
 * the object is deleted meanwhile.
 */
export async function waitForObject<T extends KubeObject>(
  client: ApiClient,
  k: ResourceKind,
  namespace: string,
  name: string,
  ready: (obj: T) => boolean,
): Promise<T> {
  for (;;) {
    const current = await getObject<T>(client, k, namespace, name);
    if (ready(current)) return current;
    const found = await watchUntil(client, k, namespace, name, current.metadata.resourceVersion ?? "", ready);
    if (found !== undefined) return found;
  }
}

async function watchUntil<T extends KubeObject>(
  client: ApiClient,
  k: ResourceKind,
  namespace: string,
  name: string,
  resourceVersion: string,
  ready: (obj: T) => boolean,
): Promise<T | undefined> {
  const abort = new AbortController();
  let result: T | undefined;
  let failure: Error | undefined;
  let pending = "";
  const onEvent = (event: WatchEvent): void => {
    if (result !== undefined || failure !== undefined) return;
    if (event.type === "DELETED") failure = new CommandError(`${k.kind} "${name}" was deleted`);
    else if (event.type === "ERROR")
      abort.abort(); // expired: restart from a fresh read
    else if ((event.type === "ADDED" || event.type === "MODIFIED") && ready(event.object as T))
      result = event.object as T;
    if (result !== undefined || failure !== undefined) abort.abort();
  };
  await client.stream(
    collectionPath(k, namespace),
    {
      query: {
        watch: "true",
        fieldSelector: `metadata.name=${name}`,
        resourceVersion,
        allowWatchBookmarks: "true",
      },
      signal: abort.signal,
    },
    (chunk) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onEvent(JSON.parse(line) as WatchEvent);
    },
  );
  if (failure !== undefined) throw failure;
  return result;
}
