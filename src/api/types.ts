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

/** Derived from the schema (`schema/v1.ts`). */
export type ResourceRequirements = Static<typeof Schemas.ResourceRequirements>;

/** Derived from the schema (`schema/v1.ts`). */
export type SecurityContext = Static<typeof Schemas.SecurityContext>;

/** Derived from the schema (`schema/v1.ts`). */
export type Probe = Static<typeof Schemas.Probe>;

/** A workspace a step or sidecar uses (derived from the schema). */
export type WorkspaceUsage = NonNullable<Step["workspaces"]>[number];

/** Derived from the schema (`schema/v1.ts`). */
export type StepOutputConfig = Static<typeof Schemas.StepOutputConfig>;

/** Derived from the schema (`schema/v1.ts`). */
export type WhenExpression = Static<typeof Schemas.WhenExpression>;

/** A step's reference to a StepAction (derived from the schema). */
export type Ref = NonNullable<Step["ref"]>;

/** Fields shared by Step, Sidecar and StepTemplate (derived from the schemas). */
export type ContainerFields = Pick<Step, keyof Step & keyof Sidecar & keyof StepTemplate>;

/** Derived from the schema (`schema/v1.ts`). */
export type Step = Static<typeof Schemas.Step>;

/** Derived from the schema (`schema/v1.ts`). */
export type StepTemplate = Static<typeof Schemas.StepTemplate>;

/** Derived from the schema (`schema/v1.ts`). */
export type Sidecar = Static<typeof Schemas.Sidecar>;

// ---------------------------------------------------------------------------
// Volumes and workspaces

/** A key of a ConfigMap or Secret projected to a file (derived from the schema). */
export type KeyToPath = NonNullable<NonNullable<Volume["configMap"]>["items"]>[number];

/** Derived from the schema (`schema/v1.ts`). */
export type Volume = Static<typeof Schemas.Volume>;

/** Derived from the schema (`schema/v1.ts`). */
export type WorkspaceDeclaration = Static<typeof Schemas.WorkspaceDeclaration>;

/** Derived from the schema (`schema/v1.ts`). */
export type WorkspaceBinding = Static<typeof Schemas.WorkspaceBinding>;

// ---------------------------------------------------------------------------
// Task

/** Derived from the schema (`schema/v1.ts`). */
export type TaskSpec = Static<typeof Schemas.TaskSpec>;

export interface Task extends KubeObject {
  kind: "Task";
  spec: TaskSpec;
}

/** Derived from the schema (`schema/v1.ts`). */
export type StepActionSpec = Static<typeof Schemas.StepActionSpec>;

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

/** Derived from the schema (`schema/v1.ts`). */
export type TaskRef = Static<typeof Schemas.TaskRef>;

/** Derived from the schema (`schema/v1.ts`). */
export type PodTemplate = Static<typeof Schemas.PodTemplate>;

/** A TaskRun's override of one step's compute resources (derived from the schema). */
export type TaskRunStepSpec = NonNullable<TaskRunSpec["stepSpecs"]>[number];

/** Derived from the schema (`schema/v1.ts`). */
export type TaskRunSpec = Static<typeof Schemas.TaskRunSpec>;

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
  /** What the step wrote to `$(step.artifacts.path)`. */
  inputs?: Artifact[];
  outputs?: Artifact[];
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

/** An embedded custom task spec (derived from the schema). */
export type EmbeddedCustomRunSpec = NonNullable<CustomRunSpec["customSpec"]>;

/** Derived from the schema (`schema/v1.ts`). */
export type CustomRunSpec = Static<typeof Schemas.CustomRunSpec>;

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

/** Derived from the schema (`schema/v1.ts`). */
export type RunSpec = Static<typeof Schemas.RunSpec>;

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
