/**
 * One read-only view over the two custom-run shapes: `CustomRun` (tekton.dev/v1beta1, `customRef` /
 * `customSpec`) and `Run` (tekton.dev/v1alpha1, `ref` / `spec`, `podTemplate`). Controllers and the
 * engine read runs through this view so the same code serves both (docs/tekton-semantics.md#custom-runs).
 *
 * @module
 */
import type {
  CustomRun,
  CustomRunStatus,
  Json,
  KubeObject,
  Param,
  PodTemplate,
  Run,
  TaskRef,
  WorkspaceBinding,
} from "../api/types.js";
import { CustomRunSpecStatus } from "../api/reasons.js";

/** A custom run in either shape. */
export type AnyCustomRun = CustomRun | Run;

/** The kinds of custom runs: `CustomRun` (v1beta1) and `Run` (v1alpha1). */
export const CustomRunKind = { CustomRun: "CustomRun", Run: "Run" } as const;
/** One of {@link CustomRunKind}'s values. */
export type CustomRunKind = (typeof CustomRunKind)[keyof typeof CustomRunKind];

/** How a run names its custom task: by reference (`customRef`/`ref`) or embedded (`customSpec`/`spec`). */
export const TargetVia = { Ref: "ref", Spec: "spec" } as const;
/** One of {@link TargetVia}'s values. */
export type TargetVia = (typeof TargetVia)[keyof typeof TargetVia];

/** The custom task a run targets. */
export interface CustomTaskTarget {
  apiVersion: string;
  kind: string;
  via: TargetVia;
  /** `customRef.name` / `ref.name`, when the run references a named custom task object. */
  name?: string;
  /** The reference itself (`customRef` / `ref`). */
  ref?: Readonly<TaskRef>;
  /** `customSpec.spec` / `spec.spec`, when the custom task is embedded. */
  spec?: Json;
  /** `customSpec.metadata` / `spec.metadata`, when embedded. */
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Whether an object is a CustomRun or a Run (by kind). */
export function isAnyCustomRun(obj: KubeObject): obj is AnyCustomRun {
  return obj.kind === CustomRunKind.CustomRun || obj.kind === CustomRunKind.Run;
}

/** The target of a run, or undefined when it names neither a reference nor an embedded spec. */
export function targetOf(run: AnyCustomRun): CustomTaskTarget | undefined {
  const spec = run.spec ?? {};
  const ref =
    run.kind === CustomRunKind.Run ? (spec as Run["spec"]).ref : (spec as CustomRun["spec"]).customRef;
  const embedded =
    run.kind === CustomRunKind.Run ? (spec as Run["spec"]).spec : (spec as CustomRun["spec"]).customSpec;
  if (ref !== undefined) {
    return {
      apiVersion: ref.apiVersion ?? "",
      kind: ref.kind ?? "",
      via: TargetVia.Ref,
      ref,
      ...(ref.name !== undefined && ref.name !== "" ? { name: ref.name } : {}),
    };
  }
  if (embedded !== undefined) {
    return {
      apiVersion: embedded.apiVersion ?? "",
      kind: embedded.kind ?? "",
      via: TargetVia.Spec,
      // The schema keeps the embedded spec as it was decoded from JSON: any JSON value.
      ...(embedded.spec !== undefined ? { spec: embedded.spec as Json } : {}),
      ...(embedded.metadata !== undefined ? { metadata: embedded.metadata } : {}),
    };
  }
  return undefined;
}

/** `<apiVersion>/<kind>` of a run's target (`wait.testing.tekton.dev/v1beta1/Wait`), or `"<none>"`. */
export function describeTarget(run: AnyCustomRun): string {
  const t = targetOf(run);
  return t === undefined ? "<none>" : `${t.apiVersion}/${t.kind}`;
}

/** `metadata.namespace` (default `"default"`) and `metadata.name`. */
export function runKey(run: KubeObject): { namespace: string; name: string } {
  return { namespace: run.metadata.namespace ?? "default", name: run.metadata.name ?? "" };
}

/** `spec.params`, or an empty list. */
export function paramsOf(run: AnyCustomRun): Param[] {
  return run.spec?.params ?? [];
}

/** `spec.workspaces`, or an empty list. */
export function workspacesOf(run: AnyCustomRun): WorkspaceBinding[] {
  return run.spec?.workspaces ?? [];
}

/** A Run's `podTemplate` when it sets anything (an empty object counts as unset). */
export function podTemplateOf(run: AnyCustomRun): PodTemplate | undefined {
  if (run.kind !== CustomRunKind.Run) return undefined;
  const t = run.spec?.podTemplate;
  return t !== undefined && Object.keys(t).length > 0 ? t : undefined;
}

/** `spec.status == "RunCancelled"` (`IsCancelled()`; the same wire string for both shapes). */
export function isRunCancelled(run: AnyCustomRun): boolean {
  return run.spec?.status === CustomRunSpecStatus.Cancelled;
}

/** Started: `status.startTime` is set (`HasStarted()`). */
export function hasRunStarted(run: Pick<AnyCustomRun, "status">): boolean {
  return run.status?.startTime !== undefined && run.status.startTime !== "";
}

/** Number of archived attempts (`GetRetryCount()`). */
export function retryCountOf(status: CustomRunStatus | undefined): number {
  return status?.retriesStatus?.length ?? 0;
}
