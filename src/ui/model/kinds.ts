/**
 * The kinds the dashboard lists, with their API paths. Group, version, plural and whether a kind
 * runs come from the registry of kinds (`api/kinds.ts`), so the UI requests exactly the paths the
 * server serves.
 *
 * @module
 */

import { Kinds, type KindInfo } from "../../api/kinds.js";

/** A kind the dashboard shows. */
export interface UiKind {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  /** Plural resource name, also the route segment (`taskruns`). */
  readonly plural: string;
  /** Whether objects of this kind run (have a `Succeeded` condition). */
  readonly isRun: boolean;
  /** Heading of its list page. */
  readonly title: string;
}

function uiKind(k: KindInfo, title: string): UiKind {
  return { kind: k.kind, group: k.group, version: k.storageVersion, plural: k.plural, isRun: k.isRun, title };
}

/** The listed kinds, in navigation order. */
export const UiKinds = {
  PipelineRun: uiKind(Kinds.PipelineRun, "PipelineRuns"),
  TaskRun: uiKind(Kinds.TaskRun, "TaskRuns"),
  CustomRun: uiKind(Kinds.CustomRun, "CustomRuns"),
  Run: uiKind(Kinds.Run, "Runs"),
  Pipeline: uiKind(Kinds.Pipeline, "Pipelines"),
  Task: uiKind(Kinds.Task, "Tasks"),
  StepAction: uiKind(Kinds.StepAction, "StepActions"),
} as const satisfies Record<string, UiKind>;

/** Every listed kind. */
export const ALL_KINDS: readonly UiKind[] = Object.values(UiKinds);

/** The kind whose plural is `plural`, or undefined. */
export function kindByPlural(plural: string): UiKind | undefined {
  return ALL_KINDS.find((k) => k.plural === plural);
}

/** The kind of a stored object (by `kind`), or undefined. */
export function kindOf(kind: string): UiKind | undefined {
  return ALL_KINDS.find((k) => k.kind === kind);
}

function apiRoot(k: UiKind): string {
  return k.group === "" ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
}

/** The collection's path, in one namespace or (namespace undefined) across all. */
export function collectionPath(k: UiKind, namespace: string | undefined): string {
  return namespace === undefined
    ? `${apiRoot(k)}/${k.plural}`
    : `${apiRoot(k)}/namespaces/${encodeURIComponent(namespace)}/${k.plural}`;
}

/** One object's path. */
export function objectPath(k: UiKind, namespace: string, name: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`;
}

/** A step container's log path (`pods/{pod}/log`). */
export function podLogPath(
  namespace: string,
  pod: string,
  container: string,
  opts: { follow: boolean; timestamps: boolean },
): string {
  const q = new URLSearchParams({ container });
  if (opts.follow) q.set("follow", "true");
  if (opts.timestamps) q.set("timestamps", "true");
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${q.toString()}`;
}
