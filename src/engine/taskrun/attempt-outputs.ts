/** What an attempt reports at its end besides its steps: the task results and the sidecars' states. */
import { join } from "node:path";
import type { SidecarState, TaskRunResult } from "../../api/types.js";
import type { SidecarOutcome } from "../../executors/executor.js";
import { rfc3339 } from "../../api/time.js";
import { requestedImageID } from "../../executors/image-ref.js";
import type { AttemptInput } from "./attempt-types.js";
import { typedResult } from "./results.js";
import { readResultFile, sidecarLogLineSize } from "./result-files.js";
import { RESULTS_SIDECAR, sidecarContainerName } from "../../api/pod-paths.js";

/** Task results in `/tekton/results` at the end; a value over its transport's limit is never kept. */
export function readTaskResults(input: AttemptInput): { results: TaskRunResult[]; tooLarge: boolean } {
  const results: TaskRunResult[] = [];
  let tooLarge = false;
  for (const r of input.fileResults) {
    const f = readResultFile(input.pod.dir, join(input.resultsDir, r.name), input.features);
    if (f.kind === "tooLarge") tooLarge = true;
    if (f.kind !== "ok") continue;
    if (
      input.features.resultsFrom === "sidecar-logs" &&
      sidecarLogLineSize(r.name, f.value, "task") > input.features.maxResultSize
    ) {
      tooLarge = true;
      continue;
    }
    results.push(typedResult(r, f.value));
  }
  return { results, tooLarge };
}

export function sidecarStates(
  names: Array<string | undefined>,
  outcomes: SidecarOutcome[],
  images: string[],
): SidecarState[] {
  const states: SidecarState[] = [];
  outcomes.forEach((o, i) => {
    const name = names[i];
    if (name === undefined) return;
    const startedAt = rfc3339(o.startedAt);
    const finishedAt = rfc3339(o.finishedAt);
    states.push({
      name,
      container: o.name,
      ...imageIdOf(o, images[i]),
      terminated: o.exitedBeforeStop
        ? { exitCode: o.exitCode, reason: o.exitCode === 0 ? "Completed" : "Error", startedAt, finishedAt }
        : {
            exitCode: 0,
            reason: "Completed",
            message: "Sidecar container successfully stopped by nop image",
            startedAt,
            finishedAt,
          },
    });
  });
  return states;
}

function imageIdOf(o: SidecarOutcome, image: string | undefined): { imageID?: string } {
  if (o.imageID) return { imageID: o.imageID };
  return image !== undefined ? { imageID: requestedImageID(image) } : {};
}

/** The `tekton-log-results` sidecar: it exits 0 by itself once every step is done. */
export function resultsSidecarState(startedAt: Date, finishedAt: Date): SidecarState {
  return {
    name: RESULTS_SIDECAR,
    container: sidecarContainerName(RESULTS_SIDECAR),
    terminated: {
      exitCode: 0,
      reason: "Completed",
      startedAt: rfc3339(startedAt),
      finishedAt: rfc3339(finishedAt),
    },
  };
}
