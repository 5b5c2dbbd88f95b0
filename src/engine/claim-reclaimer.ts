/**
 * A deleted PersistentVolumeClaim takes its data with it, as a dynamically provisioned volume with
 * the default reclaim policy (`Delete`) does: when the claim object is deleted (by a user, or with
 * the PipelineRun that created it for a volumeClaimTemplate), its directory under
 * `<dataDir>/pvcs/<namespace>/` is removed. A claim used by name without an object is not touched.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ResourceTypes, WatchEventType, type StopWatch, type Store } from "../store/index.js";
import { safeName } from "./taskrun/volumes.js";

/** Starts removing deleted claims' directories; returns the stopper. */
export function startClaimReclaimer(opts: {
  store: Store;
  dataDir: string;
  onError?: (key: string, err: unknown) => void;
}): StopWatch {
  return opts.store.watch(ResourceTypes.PersistentVolumeClaim, {}, (event) => {
    if (event.type !== WatchEventType.Deleted) return;
    const ns = event.object.metadata.namespace ?? "default";
    const name = event.object.metadata.name ?? "";
    // Created again under the same name meanwhile: the directory is the new claim's.
    if (opts.store.get(ResourceTypes.PersistentVolumeClaim, ns, name) !== undefined) return;
    try {
      rmSync(safeName(safeName(join(opts.dataDir, "pvcs"), ns), name), { recursive: true, force: true });
    } catch (err) {
      opts.onError?.(`PersistentVolumeClaim ${ns}/${name}`, err);
    }
  });
}
