/** Metadata the controller writes on a TaskRun: its release, and the labels and annotations of its Task. */
import { RELEASE_ANNOTATION, releaseCommit, type TektonVersion } from "../../api/tekton-version.js";
import type { TaskRun } from "../../api/types.js";
import { ConflictError, ResourceTypes, type Store } from "../../store/index.js";
import type { PreparedRun } from "./plan.js";

/** Tekton merges the Task's labels and annotations and adds `tekton.dev/task`. */
export function applyTaskMetadata(store: Store, tr: TaskRun, prepared: PreparedRun): void {
  if (prepared.inline) return;
  const labels = {
    ...prepared.labels,
    ...(tr.metadata.labels ?? {}),
    "tekton.dev/task": prepared.taskName,
  };
  const annotations = { ...prepared.annotations, ...(tr.metadata.annotations ?? {}) };
  const same =
    JSON.stringify(labels) === JSON.stringify(tr.metadata.labels ?? {}) &&
    JSON.stringify(annotations) === JSON.stringify(tr.metadata.annotations ?? {});
  if (same) return;
  try {
    const fresh = store.get<TaskRun>(ResourceTypes.TaskRun, tr.metadata.namespace, tr.metadata.name ?? "");
    if (fresh === undefined) return;
    store.update(ResourceTypes.TaskRun, {
      ...fresh,
      metadata: { ...fresh.metadata, labels, annotations },
    });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

/** Tekton annotates a TaskRun that is not done with its release on every reconcile; the TaskRun as stored after. */
export function withReleaseAnnotation(store: Store, tr: TaskRun, version: TektonVersion): TaskRun {
  const release = releaseCommit(version);
  if (tr.metadata.annotations?.[RELEASE_ANNOTATION] === release) return tr;
  const annotations = { ...(tr.metadata.annotations ?? {}), [RELEASE_ANNOTATION]: release };
  try {
    return store.update(ResourceTypes.TaskRun, { ...tr, metadata: { ...tr.metadata, annotations } });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return tr; // a newer version is on its way and will be reconciled (and annotated) in turn
  }
}
