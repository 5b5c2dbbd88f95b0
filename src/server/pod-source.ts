/**
 * Reading the synthesized Pods (`pods.ts`) through the store: get by name, list with label and
 * field selectors, and a watch derived from the TaskRun watch.
 *
 * @module
 */

import type { KubeObject, TaskRun } from "../api/types.js";
import {
  ResourceTypes,
  WatchEventType,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type StopWatch,
  type Store,
  type WatchListener,
  type WatchOptions,
} from "../store/index.js";
import { podsOf, taskRunNameCandidates } from "./pods.js";

const POD_FIELDS = ResourceTypes.Pod.selectableFields;

/** The TaskRun that owns a Pod name, with the Pod, or undefined. */
export function findPod(
  store: Store,
  namespace: string,
  name: string,
): { pod: KubeObject; taskRun: TaskRun } | undefined {
  const pick = (tr: TaskRun): { pod: KubeObject; taskRun: TaskRun } | undefined => {
    const pod = podsOf(tr).find((p) => p.metadata.name === name);
    return pod ? { pod, taskRun: tr } : undefined;
  };
  for (const candidate of taskRunNameCandidates(name)) {
    const tr = store.get<TaskRun>(ResourceTypes.TaskRun, namespace, candidate);
    const hit = tr ? pick(tr) : undefined;
    if (hit) return hit;
  }
  for (const tr of store.list<TaskRun>(ResourceTypes.TaskRun, { namespace }).items) {
    const hit = pick(tr);
    if (hit) return hit;
  }
  return undefined;
}

/** Builds a predicate from label and field selectors (BadRequestError when malformed). */
export function podFilter(labelSelector?: string, fieldSelector?: string): (pod: KubeObject) => boolean {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector, POD_FIELDS);
  return (pod) => matchesLabels(labels, pod.metadata.labels) && matchesFields(fields, pod);
}

/** Lists Pods (no paging: every match in one page). */
export function listPods(
  store: Store,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
): { items: KubeObject[]; resourceVersion: string } {
  const match = podFilter(opts.labelSelector, opts.fieldSelector);
  const list = store.list<TaskRun>(
    ResourceTypes.TaskRun,
    opts.namespace !== undefined ? { namespace: opts.namespace } : {},
  );
  return { items: list.items.flatMap(podsOf).filter(match), resourceVersion: list.resourceVersion };
}

/**
 * Watches Pods by watching TaskRuns: each TaskRun event is turned into ADDED / MODIFIED /
 * DELETED events for the Pods it implies (that match the selectors).
 */
export function watchPods(store: Store, opts: WatchOptions, listener: WatchListener): StopWatch {
  const match = podFilter(opts.labelSelector, opts.fieldSelector);
  const known = new Map<string, string>();
  const keyOf = (p: KubeObject): string => `${p.metadata.namespace ?? ""}/${p.metadata.name ?? ""}`;
  return store.watch<TaskRun>(
    ResourceTypes.TaskRun,
    {
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.bookmarks ? { bookmarks: true } : {}),
    },
    (event) => {
      if (event.type === WatchEventType.Bookmark) {
        listener({ type: event.type, object: { ...event.object, apiVersion: "v1", kind: "Pod" } });
        return;
      }
      if (event.type === WatchEventType.Error) return;
      const trKey = `${event.object.metadata.namespace ?? ""}/${event.object.metadata.name ?? ""}/`;
      const pods = event.type === WatchEventType.Deleted ? [] : podsOf(event.object).filter(match);
      const present = new Set(pods.map(keyOf));
      for (const [k, json] of known) {
        const owner = JSON.parse(json) as KubeObject;
        const ownerRef = owner.metadata.ownerReferences?.[0]?.["name"];
        if (`${owner.metadata.namespace ?? ""}/${String(ownerRef)}/` !== trKey || present.has(k)) continue;
        known.delete(k);
        listener({
          type: WatchEventType.Deleted,
          object: {
            ...owner,
            metadata: { ...owner.metadata, resourceVersion: event.object.metadata.resourceVersion ?? "" },
          },
        });
      }
      for (const pod of pods) {
        const k = keyOf(pod);
        const json = JSON.stringify(pod);
        const before = known.get(k);
        known.set(k, json);
        if (before === undefined) listener({ type: WatchEventType.Added, object: pod });
        else if (before !== json) listener({ type: WatchEventType.Modified, object: pod });
      }
    },
  );
}
