/** The Task's labels and annotations carried onto the TaskRun that references it. */
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
