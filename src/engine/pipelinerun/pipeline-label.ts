/**
 * The `tekton.dev/pipeline` label of a PipelineRun as Tekton settles it on the reconcile that
 * first stores the pipeline spec: `propagatePipelineNameLabelToPipelineRun` fills it when absent,
 * then `storePipelineSpecAndMergeMeta` replaces it by the resolved pipeline's name unless that
 * object (the run itself, for an embedded spec) was named from a `generateName`.
 */
import type { PipelineRun } from "../../api/pipeline-types.js";
import type { ResolvedPipeline } from "./resolve.js";

const MAX_NAME_LENGTH = 63;

/** Tekton's `RestrictLength`: at most 63 characters, ending in a letter or digit. */
function restrictLength(base: string): string {
  return base.slice(0, MAX_NAME_LENGTH).replace(/[^a-zA-Z0-9]+$/, "");
}

/** The label value when the run has none (propagatePipelineNameLabelToPipelineRun). */
function propagated(pr: PipelineRun): string {
  const name = pr.metadata.name ?? "";
  const ref = pr.spec.pipelineRef;
  if (ref?.name) return ref.name;
  if (pr.spec.pipelineSpec !== undefined) {
    const generateName = pr.metadata.generateName ?? "";
    return generateName !== "" ? restrictLength(generateName) || name : name;
  }
  const param = (key: string): unknown => ref?.params?.find((p) => p.name === key)?.value;
  const kind = param("kind");
  const named = param("name");
  return kind === "pipeline" && typeof named === "string" ? named : name;
}

export function settledPipelineLabel(
  pr: PipelineRun,
  pipeline: ResolvedPipeline,
  current: string | undefined,
): string {
  const label = current ?? propagated(pr);
  if (pipeline.name !== "" && (label === "" || !pipeline.generateName)) return pipeline.name;
  return label;
}
