/**
 * Live data for components: a list kept current by a watch, one object kept current by a watch,
 * and a ticking clock for durations of running things.
 *
 * @module
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { KubeObject } from "../../api/types.js";
import type { ApiClient } from "./api.js";

/** A live list. */
export interface LiveList<T extends KubeObject> {
  items: T[];
  /** The whole list has arrived. */
  synced: boolean;
  error?: string;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
}

/** Lists and watches `path` (with optional query) while mounted; re-renders at most once a frame. */
export function useLiveList<T extends KubeObject>(
  api: ApiClient,
  path: string | undefined,
  query: Record<string, string> = {},
): LiveList<T> {
  const [state, setState] = useState<LiveList<T>>({ items: [], synced: false });
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    if (path === undefined) return;
    const abort = new AbortController();
    const byKey = new Map<string, T>();
    let synced = false;
    let error: string | undefined;
    let frame: number | undefined;
    const publish = (): void => {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        setState({ items: [...byKey.values()], synced, ...(error !== undefined ? { error } : {}) });
      });
    };
    setState({ items: [], synced: false });
    void api.listWatch<T>(
      path,
      JSON.parse(queryKey) as Record<string, string>,
      {
        onReset: () => {
          byKey.clear();
          synced = false;
        },
        onItems: (items) => {
          for (const o of items) byKey.set(keyOf(o), o);
          error = undefined;
          publish();
        },
        onSynced: () => {
          synced = true;
          publish();
        },
        onEvent: (e) => {
          if (e.type === "DELETED") byKey.delete(keyOf(e.object));
          else byKey.set(keyOf(e.object), e.object);
          publish();
        },
        onError: (err) => {
          error = err instanceof Error ? err.message : String(err);
          publish();
        },
      },
      abort.signal,
    );
    return () => {
      abort.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [api, path, queryKey]);
  return state;
}

/** One object, kept current: undefined while loading, null once it does not exist. */
export function useLiveObject<T extends KubeObject>(
  api: ApiClient,
  collection: string,
  name: string,
): { object: T | null | undefined; error?: string } {
  const list = useLiveList<T>(api, collection, { fieldSelector: `metadata.name=${name}` });
  const object = list.items.find((o) => o.metadata.name === name);
  return {
    object: object ?? (list.synced ? null : undefined),
    ...(list.error !== undefined ? { error: list.error } : {}),
  };
}

/** The current time, updated every `ms` while mounted. */
export function useNow(ms = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** The latest value of something, for callbacks that must not re-subscribe. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
