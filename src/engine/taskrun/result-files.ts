/**
 * Result files as the engine reads them after a step: contained in the attempt's directory
 * (never through a link, see {@link readContained}) and bounded by the result transport's limit,
 * so an oversized value is refused before it is read, let alone stored (docs/tekton-semantics.md#size-limits).
 */
import { readlinkSync } from "node:fs";
import { join } from "node:path";
import type { FeatureFlags } from "../../config/features.js";
import { ContainedRead, readContained } from "./contained-read.js";
import { MAX_TERMINATION_MESSAGE } from "./results.js";

export type ResultFile =
  | { kind: "absent" }
  /** A link or a non-regular file: not a result, as a result reader inside the pod would not find one. */
  | { kind: "notRegular" }
  | { kind: "tooLarge"; size: number }
  | { kind: "ok"; value: string };

/**
 * The most bytes a single result value can have and still fit its transport: the whole
 * termination message (4096) or one sidecar-logs line (`max-result-size`).
 */
export function resultReadLimit(features: FeatureFlags): number {
  return features.resultsFrom === "sidecar-logs" ? features.maxResultSize : MAX_TERMINATION_MESSAGE;
}

/** Reads one result file under `podDir` (the attempt directory, which no step can replace). */
export function readResultFile(podDir: string, path: string, features: FeatureFlags): ResultFile {
  const r = readContained(podDir, path, resultReadLimit(features));
  switch (r.kind) {
    case ContainedRead.Absent:
      return { kind: "absent" };
    case ContainedRead.NotRegular:
      return { kind: "notRegular" };
    case ContainedRead.TooLarge:
      return { kind: "tooLarge", size: r.size };
    case ContainedRead.Ok:
      return { kind: "ok", value: r.text };
  }
}

/**
 * Bytes of the JSON line the results sidecar prints for one result (Go's encoder escapes `<`, `>`,
 * `&`, U+2028 and U+2029, six bytes each).
 */
export function sidecarLogLineSize(name: string, value: string, type: "task" | "step"): number {
  const json = JSON.stringify({ name, value, type });
  const escaped = (json.match(/[<>&]/g)?.length ?? 0) * 5 + (json.match(/[\u2028\u2029]/g)?.length ?? 0) * 3;
  return Buffer.byteLength(json) + escaped;
}

/** `TaskRunResultLargerThanAllowedLimit`'s message, as Tekton's reconciler formats it (docs/tekton-semantics.md#taskrun-status). */
export function resultTooLargeMessage(taskRunName: string): string {
  return `[User error]  TaskRun "${JSON.stringify(taskRunName)}" failed: results size exceeds configured limit`;
}

/**
 * A file an earlier step left under its `/tekton/steps/step-<name>/` directory, read through the
 * engine's own link (`<dir>/steps/step-<name>` → `../run/<i>/status`, in a directory no step can
 * write) and never through one a step made. Undefined when absent, not a regular file or larger
 * than `maxBytes`.
 */
export function readStepFile(
  layout: { dir: string; steps: string },
  step: string,
  parts: readonly string[],
  maxBytes: number,
): string | undefined {
  let target: string;
  try {
    target = readlinkSync(join(layout.steps, `step-${step}`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const m = /^\.\.\/run\/(\d+)\/status$/.exec(target);
  if (m === null) return undefined;
  const r = readContained(layout.dir, join(layout.dir, "run", m[1]!, "status", ...parts), maxBytes);
  return r.kind === ContainedRead.Ok ? r.text : undefined;
}

/** The most bytes of a step's `artifacts/provenance.json` the engine reads. */
export const MAX_PROVENANCE_BYTES = 1024 * 1024;
