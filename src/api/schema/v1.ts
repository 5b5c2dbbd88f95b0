/**
 * The storage version's (tekton.dev/v1) schemas by name, built once: what `types.ts` derives the
 * TypeScript wire types from.
 *
 * @module
 */
import {
  containerSchemas,
  paramSchemas,
  taskSpecSchema,
  whenSchema,
  workspaceDeclarationSchema,
} from "./task.js";
import { pipelineRunSpecSchema, pipelineSpecSchema } from "./pipeline.js";
import {
  customRunSpecSchema,
  runSpecSchema,
  stepActionSpecSchema,
  taskRunSpecSchema,
  workspaceBindingSchema,
} from "./runs.js";

export const { ParamSpec, Param, TaskResult, StepResult, TaskRef, PropertySpec } = paramSchemas("v1");
export const { Step, StepTemplate, Sidecar, StepOutputConfig } = containerSchemas("v1");
export const WhenExpression = whenSchema("v1");
export const TaskSpec = taskSpecSchema("v1");
export {
  EnvFromSourceSchema as EnvFromSource,
  EnvVarSchema as EnvVar,
  VolumeMountSchema as VolumeMount,
  ResourceRequirementsSchema as ResourceRequirements,
  SecurityContextSchema as SecurityContext,
  ProbeSchema as Probe,
  VolumeSchema as Volume,
} from "./core.js";
export const WorkspaceDeclaration = workspaceDeclarationSchema("v1");
export const WorkspaceBinding = workspaceBindingSchema("v1");
export const TaskRunSpec = taskRunSpecSchema("v1");
export { PodTemplateSchema as PodTemplate } from "./runs.js";
/** StepAction's served version (tektite stores StepActions as v1beta1). */
export const StepActionSpec = stepActionSpecSchema("v1beta1");
export const CustomRunSpec = customRunSpecSchema();
export const RunSpec = runSpecSchema();
export const PipelineSpec = pipelineSpecSchema("v1");
export const PipelineRunSpec = pipelineRunSpecSchema("v1");
