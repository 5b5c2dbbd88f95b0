/**
 * Admission-time validation of Tekton resources with Tekton's exact messages (docs/tekton-semantics.md#validation).
 * Call it on objects that already went through `applyDefaults` (`../defaults.ts`).
 */
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import type { Pipeline, PipelineRun } from "../pipeline-types.js";
import type { CustomRun, KubeObject, Run, StepAction, Task, TaskRun } from "../types.js";
import { ApiGroup, DocumentHandling, kindInfo } from "../kinds.js";
import { validateCustomRun, validateRun } from "./customrun.js";
import { malformedDuration } from "./durations.js";
import { FieldError } from "./field-error.js";
import { validateCoreMetadata } from "./metadata.js";
import { validatePipeline } from "./pipeline.js";
import { validatePipelineRun } from "./pipelinerun.js";
import { validateStepAction } from "./stepaction.js";
import { validateTask } from "./taskspec.js";
import { validateTaskRun } from "./taskrun.js";

export { FieldError } from "./field-error.js";
export type { FieldErrorEntry } from "./field-error.js";

/** Core kinds read from files and stored (ConfigMap, Secret…): their names are checked. */
function isCoreInputKind(kind: string): boolean {
  const k = kindInfo(kind);
  return k?.group === ApiGroup.Core && k.files === DocumentHandling.Supported;
}

/**
 * Validates a defaulted object, dispatching on `kind`. Returns undefined when it is valid.
 * `defaults` is required: `default-forbidden-env` (podTemplate env) and PipelineRun timeouts
 * depend on it, as they do at Tekton's admission.
 * Kinds tektite does not know are accepted as they are.
 */
export function validateResource(
  obj: KubeObject,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): FieldError | undefined {
  const decode = malformedDuration(obj);
  if (decode !== undefined) return decode;
  let errs: FieldError;
  switch (obj.kind) {
    case "Task":
      errs = validateTask(obj as Task, features);
      break;
    case "TaskRun":
      errs = validateTaskRun(obj as TaskRun, features, defaults);
      break;
    case "Pipeline":
      errs = validatePipeline(obj as Pipeline, features);
      break;
    case "PipelineRun":
      errs = validatePipelineRun(obj as PipelineRun, features, defaults);
      break;
    case "StepAction":
      errs = validateStepAction(obj as StepAction, features);
      break;
    case "CustomRun":
      errs = validateCustomRun(obj as CustomRun);
      break;
    case "Run":
      errs = validateRun(obj as Run);
      break;
    default:
      errs = isCoreInputKind(obj.kind) ? validateCoreMetadata(obj.kind, obj.metadata) : FieldError.empty();
  }
  return errs.isEmpty() ? undefined : errs;
}
