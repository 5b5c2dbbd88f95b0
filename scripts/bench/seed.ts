/**
 * A data directory holding many completed TaskRuns, written straight through the SQLite store
 * (much faster than the HTTP API); shared by the API and memory benchmarks of one suite run.
 *
 * @module
 */

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ResourceTypes, openSqliteStore } from "../../src/store/index.js";
import type { KubeObject } from "../../src/api/types.js";
import { BUSYBOX } from "./fixtures.js";

/** A completed 3-step TaskRun with the status tektite writes (about 2 KB of JSON). */
export function doneTaskRun(name: string): KubeObject {
  const t = "2025-01-01T00:00:00Z";
  const steps = ["build", "test", "publish"];
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: {
      name,
      namespace: "default",
      labels: { "app.kubernetes.io/managed-by": "tekton-pipelines", bench: "seed" },
    },
    spec: {
      serviceAccountName: "default",
      timeout: "1h0m0s",
      taskSpec: { steps: steps.map((s) => ({ name: s, image: BUSYBOX, script: `#!/bin/sh\necho ${s}\n` })) },
    },
    status: {
      conditions: [
        {
          type: "Succeeded",
          status: "True",
          reason: "Succeeded",
          message: "All Steps have completed executing",
          lastTransitionTime: t,
        },
      ],
      podName: `${name}-pod`,
      startTime: t,
      completionTime: t,
      steps: steps.map((s) => ({
        name: s,
        container: `step-${s}`,
        imageID: BUSYBOX,
        terminated: {
          exitCode: 0,
          reason: "Completed",
          startedAt: t,
          finishedAt: t,
          containerID: `host://${name}-${s}`,
        },
        terminationReason: "Completed",
      })),
      taskSpec: { steps: steps.map((s) => ({ name: s, image: BUSYBOX, script: `#!/bin/sh\necho ${s}\n` })) },
    },
  } as KubeObject;
}

/** `<scratch>/seed-<count>` with `count` completed TaskRuns; created once per suite run. Returns the dir and the seconds seeding took (0 when reused). */
export function seededDataDir(scratch: string, count: number): { dir: string; seconds: number } {
  const dir = join(scratch, `seed-${count}`);
  const marker = join(dir, "seeded");
  if (existsSync(marker)) return { dir, seconds: 0 };
  const t0 = performance.now();
  const store = openSqliteStore(dir);
  try {
    if (store.get(ResourceTypes.Namespace, undefined, "default") === undefined) {
      store.create(ResourceTypes.Namespace, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "default" },
        status: { phase: "Active" },
      } as KubeObject);
    }
    for (let i = 0; i < count; i++)
      store.create(ResourceTypes.TaskRun, doneTaskRun(`seed-${String(i).padStart(5, "0")}`));
  } finally {
    store.close();
  }
  writeFileSync(marker, `${count}\n`);
  return { dir, seconds: (performance.now() - t0) / 1000 };
}
