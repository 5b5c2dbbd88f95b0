/**
 * Tekton variable substitution for a TaskRun, as pure functions (docs/tekton-semantics.md#substitution): params, context,
 * result / artifact / exitCode / workspace paths, credentials path, StepAction inlining,
 * stepTemplate merging, TaskRun-level fields, and the runtime substitutions the entrypoint and
 * Kubernetes perform just before a container starts.
 */
export {
  applyArrayReplacements,
  applyReplacements,
  applyToList,
  emptyReplacements,
  extendReplacements,
  stringReplacements,
  type MutableReplacements,
  type Replacements,
} from "./replace.js";
export {
  cloneParamValue,
  defaultParamValues,
  isObjectValue,
  paramKeys,
  paramReferences,
  paramReplacements,
  replacementsFromParamList,
  resolveParams,
  type ResolveParamsOptions,
} from "./params.js";
export {
  replaceContainerFields,
  replaceInTaskSpec,
  replaceParamValue,
  replaceParams,
  replaceSidecarFields,
  replaceStepFields,
  replaceVolumeFields,
  replaceWhen,
} from "./fields.js";
export { TEKTON_PATHS, joinPath, pathRoots, type PathRoots } from "./paths.js";
export {
  applyVolumeClaimTemplates,
  applyWorkspaceVariables,
  fnv32a,
  hashedName,
  propagateWorkspaceDeclarations,
  volumeClaimTemplateClaimName,
  workspaceInfos,
  workspaceVolumeNames,
  type WorkspaceInfo,
} from "./workspaces.js";
export {
  applyArtifactPaths,
  applyContext,
  applyExitCodePaths,
  applyParameters,
  applyResultPaths,
  applyWorkspaces,
  substituteCredentialsPath,
  substituteTaskSpec,
  type SubstitutionContext,
} from "./taskspec.js";
export { StepActionResolutionError, defaultedParamType, inlineStepActions } from "./stepactions.js";
export { mergeStepTemplate } from "./steptemplate.js";
export {
  entrypointLogLine,
  parseResultValue,
  parseStepResultExpression,
  substituteStepResultsAtRuntime,
  type ReadStepResult,
  type RuntimeStepFields,
  type RuntimeSubstitution,
  type StepResultRef,
} from "./stepresults.js";
export {
  marshalArtifactValues,
  substituteStepArtifactsAtRuntime,
  type ArtifactStepFields,
  type ReadStepArtifacts,
} from "./artifacts.js";
export {
  expandContainerEnv,
  expandKubernetesList,
  expandKubernetesVars,
  type EnvInput,
  type VariableLookup,
} from "./kubernetes.js";
export { substitutePodTemplate, substituteWorkspaceBindings } from "./taskrunfields.js";
