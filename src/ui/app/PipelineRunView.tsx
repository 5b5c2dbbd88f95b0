/** A PipelineRun's (or Pipeline's) page body. */
import type { KubeObject } from "../../api/types.js";

export function PipelineRunView(_props: { object: KubeObject }) {
  return null;
}
