/**
 * The TaskRuns the benchmarks run, as objects (for the API) and YAML files (for `tektite run`).
 *
 * @module
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** The stand-in busybox image (built by scripts/images/build.sh); ignored by the host executor. */
export const BUSYBOX = "localhost/tektite/busybox:latest";

/** A TaskRun whose steps each run `command` (as the step's `command`, no script). */
export function stepsTaskRun(
  name: string,
  steps: number,
  command: readonly string[],
  image = BUSYBOX,
): Record<string, unknown> {
  return {
    apiVersion: "tekton.dev/v1",
    kind: "TaskRun",
    metadata: { name, namespace: "default" },
    spec: {
      taskSpec: {
        steps: Array.from({ length: steps }, (_, i) => ({ name: `s${i}`, image, command: [...command] })),
      },
    },
  };
}

/** Writes {@link stepsTaskRun} as JSON (a YAML subset) to `<dir>/<file>` and returns the path. */
export function writeTaskRun(dir: string, file: string, obj: Record<string, unknown>): string {
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify(obj, null, 2)}\n`);
  return path;
}
