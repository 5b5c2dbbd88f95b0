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

export const { ParamSpec, Param, TaskResult, StepResult, TaskRef, PropertySpec } = paramSchemas("v1");
export const { Step, StepTemplate, Sidecar, StepOutputConfig } = containerSchemas("v1");
export const WhenExpression = whenSchema("v1");
export const TaskSpec = taskSpecSchema("v1");
export {
  EnvFromSourceSchema as EnvFromSource,
  EnvVarSchema as EnvVar,
  VolumeMountSchema as VolumeMount,
  ResourceRequirementsSchema as ResourceRequirements,
} from "./core.js";
export const WorkspaceDeclaration = workspaceDeclarationSchema("v1");
