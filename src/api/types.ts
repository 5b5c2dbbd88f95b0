/**
 * Tekton and Kubernetes resource shapes as they appear on the wire (JSON field names).
 * These are plain data: every module that reads or writes a resource uses these types.
 * Field sets follow tekton.dev/v1 (storage version); v1beta1 input is converted by `convert.ts`.
 */
import type { Static } from "@sinclair/typebox";
import type * as Schemas from "./schema/v1.js";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<Record<string, unknown>>;
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any Kubernetes-style object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------------------
// Params and results

export type ParamType = "string" | "array" | "object";
/** A param value: string, array of strings, or object of strings. */
export type ParamValue = string | string[] | Record<string, string>;

/** Derived from the schema (`schema/v1.ts`). */
export type PropertySpec = Static<typeof Schemas.PropertySpec>;

/** Derived from the schema (`schema/v1.ts`). */
export type ParamSpec = Static<typeof Schemas.ParamSpec>;

/** Derived from the schema (`schema/v1.ts`). */
export type Param = Static<typeof Schemas.Param>;

/** Derived from the schema (`schema/v1.ts`). */
export type TaskResult = Static<typeof Schemas.TaskResult>;

/** Derived from the schema (`schema/v1.ts`). */
export type StepResult = Static<typeof Schemas.StepResult>;

export interface TaskRunResult {
  name: string;
  type: ParamType;
  value: ParamValue;
}

// ---------------------------------------------------------------------------
// Containers

/** Derived from the schema (`schema/v1.ts`). */
export type EnvVar = Static<typeof Schemas.EnvVar>;

/** Derived from the schema (`schema/v1.ts`). */
export type EnvFromSource = Static<typeof Schemas.EnvFromSource>;

/** Derived from the schema (`schema/v1.ts`). */
export type VolumeMount = Static<typeof Schemas.VolumeMount>;

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  [extra: string]: unknown;
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: Record<string, unknown>;
  tcpSocket?: Record<string, unknown>;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface WorkspaceUsage {
  name: string;
  mountPath?: string;
}

/** Derived from the schema (`schema/v1.ts`). */
export type StepOutputConfig = Static<typeof Schemas.StepOutputConfig>;

/** Derived from the schema (`schema/v1.ts`). */
export type WhenExpression = Static<typeof Schemas.WhenExpression>;

export interface Ref {
  name?: string;
  resolver?: string;
  params?: Param[];
}

/** Fields shared by Step, Sidecar and StepTemplate. */
export interface ContainerFields {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: VolumeMount[];
  volumeDevices?: unknown[];
  imagePullPolicy?: string;
  securityContext?: SecurityContext;
  computeResources?: ResourceRequirements;
  /** Sidecars (and v1beta1 steps) use `resources`. */
  resources?: ResourceRequirements;
}

export interface Step extends ContainerFields {
  script?: string;
  timeout?: string;
  workspaces?: WorkspaceUsage[];
  onError?: "continue" | "stopAndFail" | string;
  stdoutConfig?: StepOutputConfig;
  stderrConfig?: StepOutputConfig;
  ref?: Ref;
  params?: Param[];
  results?: StepResult[];
  when?: WhenExpression[];
  displayName?: string;
}

export type StepTemplate = ContainerFields;

export interface Sidecar extends ContainerFields {
  script?: string;
  workspaces?: WorkspaceUsage[];
  readinessProbe?: Probe;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  ports?: unknown[];
}

// ---------------------------------------------------------------------------
// Volumes and workspaces

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  projected?: { sources?: unknown[]; defaultMode?: number };
  csi?: Record<string, unknown>;
  hostPath?: { path: string; type?: string };
  [extra: string]: unknown;
}

/** Derived from the schema (`schema/v1.ts`). */
export type WorkspaceDeclaration = Static<typeof Schemas.WorkspaceDeclaration>;

export interface WorkspaceBinding {
  name: string;
  subPath?: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  volumeClaimTemplate?: KubeObject | { metadata?: ObjectMeta; spec?: Record<string, unknown> };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  projected?: { sources?: unknown[]; defaultMode?: number };
  csi?: { driver?: string; [extra: string]: unknown };
}

// ---------------------------------------------------------------------------
// Task

export interface TaskSpec {
  description?: string;
  displayName?: string;
  params?: ParamSpec[];
  steps?: Step[];
  stepTemplate?: StepTemplate;
  sidecars?: Sidecar[];
  volumes?: Volume[];
  workspaces?: WorkspaceDeclaration[];
  results?: TaskResult[];
}

export interface Task extends KubeObject {
  kind: "Task";
  spec: TaskSpec;
}

export interface StepActionSpec {
  description?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  script?: string;
  workingDir?: string;
  params?: ParamSpec[];
  results?: StepResult[];
  securityContext?: SecurityContext;
  volumeMounts?: VolumeMount[];
}

export interface StepAction extends KubeObject {
  kind: "StepAction";
  spec: StepActionSpec;
}

// ---------------------------------------------------------------------------
// TaskRun

export const TaskRunSpecStatus = {
  Cancelled: "TaskRunCancelled",
  Pending: "TaskRunPending",
} as const;
export type TaskRunSpecStatus = (typeof TaskRunSpecStatus)[keyof typeof TaskRunSpecStatus];

export interface TaskRef {
  name?: string;
  kind?: string;
  apiVersion?: string;
  resolver?: string;
  params?: Param[];
  bundle?: string;
}

export interface PodTemplate {
  securityContext?: Record<string, unknown>;
  env?: EnvVar[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  [extra: string]: unknown;
}

export interface TaskRunStepSpec {
  name: string;
  computeResources?: ResourceRequirements;
}

export interface TaskRunSpec {
  debug?: { breakpoints?: { onFailure?: string; beforeSteps?: string[] } };
  params?: Param[];
  serviceAccountName?: string;
  taskRef?: TaskRef;
  taskSpec?: TaskSpec;
  status?: string;
  statusMessage?: string;
  retries?: number;
  timeout?: string;
  podTemplate?: PodTemplate;
  workspaces?: WorkspaceBinding[];
  stepSpecs?: TaskRunStepSpec[];
  sidecarSpecs?: TaskRunStepSpec[];
  computeResources?: ResourceRequirements;
  managedBy?: string;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

/** `status.provenance` of a run or a step: where its definition came from. */
export interface Provenance {
  refSource?: { uri: string; digest: Record<string, string>; entryPoint?: string };
  featureFlags?: Record<string, unknown>;
}

export interface StepState extends ContainerState {
  name: string;
  container?: string;
  imageID?: string;
  results?: TaskRunResult[];
  terminationReason?: string;
  provenance?: Provenance;
}

export interface SidecarState extends ContainerState {
  name: string;
  container?: string;
  imageID?: string;
}

/** A step or task artifact (`Artifact`, alpha `enable-artifacts`). */
export interface Artifact {
  name?: string;
  values?: Array<{ digest?: Record<string, string>; uri?: string }>;
  buildOutput?: boolean;
}

export interface TaskRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  podName?: string;
  startTime?: string;
  completionTime?: string;
  steps?: StepState[];
  retriesStatus?: TaskRunStatus[];
  results?: TaskRunResult[];
  sidecars?: SidecarState[];
  taskSpec?: TaskSpec;
  provenance?: Provenance;
  /** What the steps wrote to `$(artifacts.path)`. */
  artifacts?: { inputs?: Artifact[]; outputs?: Artifact[] };
}

export interface TaskRun extends KubeObject {
  kind: "TaskRun";
  spec: TaskRunSpec;
  status?: TaskRunStatus;
}

// ---------------------------------------------------------------------------
// CustomRun (v1beta1) and Run (v1alpha1)

export interface EmbeddedCustomRunSpec {
  apiVersion?: string;
  kind?: string;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Json;
}

export interface CustomRunSpec {
  customRef?: TaskRef;
  customSpec?: EmbeddedCustomRunSpec;
  params?: Param[];
  status?: string;
  statusMessage?: string;
  retries?: number;
  serviceAccountName?: string;
  timeout?: string;
  workspaces?: WorkspaceBinding[];
}

export interface CustomRunResult {
  name: string;
  value: string;
}

export interface CustomRunStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  startTime?: string;
  completionTime?: string;
  results?: CustomRunResult[];
  retriesStatus?: CustomRunStatus[];
  extraFields?: Json;
  [extra: string]: unknown;
}

export interface CustomRun extends KubeObject {
  kind: "CustomRun";
  spec: CustomRunSpec;
  status?: CustomRunStatus;
}

export interface RunSpec {
  ref?: TaskRef;
  spec?: EmbeddedCustomRunSpec;
  params?: Param[];
  status?: string;
  statusMessage?: string;
  retries?: number;
  serviceAccountName?: string;
  timeout?: string;
  workspaces?: WorkspaceBinding[];
  podTemplate?: PodTemplate;
}

export interface Run extends KubeObject {
  kind: "Run";
  spec: RunSpec;
  status?: CustomRunStatus;
}

// ---------------------------------------------------------------------------
// Core v1 kinds referenced by TaskRuns

export interface ConfigMap extends KubeObject {
  kind: "ConfigMap";
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface Secret extends KubeObject {
  kind: "Secret";
  type?: string;
  /** base64-encoded values */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface ServiceAccount extends KubeObject {
  kind: "ServiceAccount";
  secrets?: Array<{ name: string }>;
  imagePullSecrets?: Array<{ name: string }>;
}

export interface PersistentVolumeClaim extends KubeObject {
  kind: "PersistentVolumeClaim";
  spec?: Record<string, unknown>;
}

export interface Namespace extends KubeObject {
  kind: "Namespace";
}
