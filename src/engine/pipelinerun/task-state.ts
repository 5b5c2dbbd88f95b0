/** One pipeline task of a PipelineRun as the reconciler sees it, and what result lookups need. */
import type { KubeObject, TaskSpec } from "../../api/types.js";
import type { PipelineTask } from "../../api/pipeline-types.js";
import type { ChildKind } from "./children.js";
import type { CelResults } from "./when.js";

/** One pipeline task with what was resolved for it and the children it has so far. */
export interface TaskState {
  pt: PipelineTask;
  final: boolean;
  kind: ChildKind;
  /** The Task's spec (for result and workspace checks); undefined for custom tasks. */
  spec?: TaskSpec;
  /** Name of a referenced Task (the child then carries `taskRef`). */
  taskName?: string;
  /** Names of the children, existing or to be created. */
  names: string[];
  children: KubeObject[];
  cel: CelResults;
}

/** The finished tasks a result reference may name (the PipelineRun's facts). */
export interface FinishedTasks {
  readonly byName: ReadonlyMap<string, TaskState>;
  successful(t: TaskState): boolean;
  failure(t: TaskState): boolean;
}
