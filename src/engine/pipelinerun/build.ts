/**
 * The children a PipelineRun creates for a pipeline task, as Tekton builds them (`createTaskRun`,
 * `createCustomRun`, `getTaskrunWorkspaces`): names, labels, annotations, owner reference,
 * params, timeout, workspaces and the per-task run specs.
 */
import { RESERVED_ANNOTATION } from "../../api/defaults.js";
import { PipelineLabel } from "../../api/reasons.js";
import type {
  CustomRun,
  Json,
  KubeObject,
  Param,
  PersistentVolumeClaim,
  TaskRun,
  TaskRunSpec,
  WorkspaceBinding,
} from "../../api/types.js";
import { formatGoDuration, parseGoDuration } from "../../api/duration.js";
import { childName } from "../taskrun/status.js";
import { applyReplacements, volumeClaimTemplateClaimName } from "../substitution/index.js";
import { contextReplacements } from "./apply.js";
import { ChildKind } from "./children.js";
import type { TaskState } from "./task-state.js";
import { fanOut, isMatrixed } from "./matrix.js";
import type { PipelineRun, PipelineSpec, PipelineTaskRunSpec } from "../../api/pipeline-types.js";

/** Child names: `<pr>-<task>`, or `<pr>-<task>-<i>` per matrix combination (kmeta.ChildName). */
export function childNames(prName: string, ptName: string, count: number): string[] {
  if (count === 1) return [childName(prName, `-${ptName}`)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let n = childName(prName, `-${ptName}-${i}`);
    if (!n.endsWith(`-${i}`)) {
      n = childName(prName, `-${ptName}`).slice(0, 63 - `-${count}`.length) + `-${i}`;
    }
    out.push(n);
  }
  return out;
}

export function ownerReference(pr: PipelineRun): Record<string, unknown> {
  return {
    apiVersion: pr.apiVersion || "tekton.dev/v1",
    kind: "PipelineRun",
    name: pr.metadata.name ?? "",
    uid: pr.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The run settings for one pipeline task: taskRunTemplate, overridden by its taskRunSpecs entry. */
export function taskRunSpecFor(pr: PipelineRun, ptName: string): PipelineTaskRunSpec {
  const tpl = pr.spec.taskRunTemplate ?? {};
  const s: PipelineTaskRunSpec = { pipelineTaskName: ptName };
  if (tpl.serviceAccountName !== undefined) s.serviceAccountName = tpl.serviceAccountName;
  if (tpl.podTemplate !== undefined) s.podTemplate = tpl.podTemplate;
  for (const t of pr.spec.taskRunSpecs ?? []) {
    if (t.pipelineTaskName !== ptName) continue;
    if (t.podTemplate !== undefined) s.podTemplate = { ...(s.podTemplate ?? {}), ...t.podTemplate };
    if (t.serviceAccountName) s.serviceAccountName = t.serviceAccountName;
    if (t.stepSpecs) s.stepSpecs = t.stepSpecs;
    if (t.sidecarSpecs) s.sidecarSpecs = t.sidecarSpecs;
    if (t.metadata) s.metadata = t.metadata;
    if (t.computeResources) s.computeResources = t.computeResources;
    if (t.timeout) s.timeout = t.timeout;
  }
  return s;
}

/** Adds entries whose keys are not set yet (earlier sources win). */
function addMissing(into: Record<string, string>, from: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) if (!(k in into)) into[k] = v;
}

function memberOf(spec: PipelineSpec, name: string): string | undefined {
  if ((spec.tasks ?? []).some((t) => t.name === name)) return "tasks";
  if ((spec.finally ?? []).some((t) => t.name === name)) return "finally";
  return undefined;
}

export function childLabels(pr: PipelineRun, spec: PipelineSpec, ptName: string): Record<string, string> {
  const labels: Record<string, string> = { ...(pr.metadata.labels ?? {}) };
  labels[PipelineLabel.PipelineRun] = pr.metadata.name ?? "";
  labels[PipelineLabel.PipelineRunUid] = pr.metadata.uid ?? "";
  labels[PipelineLabel.PipelineTask] = ptName;
  const m = memberOf(spec, ptName);
  if (m !== undefined) labels[PipelineLabel.MemberOf] = m;
  return labels;
}

export function childAnnotations(pr: PipelineRun): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pr.metadata.annotations ?? {}).filter(([k]) => !RESERVED_ANNOTATION.test(k)),
  );
}

export interface BuildContext {
  pr: PipelineRun;
  spec: PipelineSpec;
  pipelineName: string;
  defaultTimeoutMinutes: number;
  /** The tasks/finally timeout of the PipelineRun that applies to this task, if any (Go text). */
  runTimeout: string | undefined;
}

/** The PipelineRun-level timeout a child carries (only when longer than the default, or none). */
function inheritedTimeout(ctx: BuildContext): string | undefined {
  if (ctx.runTimeout === undefined) return undefined;
  const ns = parseGoDuration(ctx.runTimeout);
  if (ns === 0n) return ctx.runTimeout;
  return ns > BigInt(ctx.defaultTimeoutMinutes) * 60_000_000_000n ? formatGoDuration(ns) : undefined;
}

/** Workspaces used by an embedded spec's steps that the pipeline task does not map explicitly. */
function usedWorkspaces(t: TaskState): string[] {
  if (t.pt.taskSpec === undefined) return [];
  const text = JSON.stringify([t.pt.taskSpec.steps ?? [], t.pt.taskSpec.sidecars ?? []]);
  return [...new Set([...text.matchAll(/\$\(workspaces\.([^.)]+)\./g)].map((m) => m[1] ?? ""))];
}

export class WorkspaceBindingError extends Error {}

/** The TaskRun/CustomRun workspace bindings of a pipeline task (getTaskrunWorkspaces). */
export function taskWorkspaces(ctx: BuildContext, t: TaskState): WorkspaceBinding[] {
  const byName = new Map((ctx.pr.spec.workspaces ?? []).map((b) => [b.name, b]));
  const mapped = [...(t.pt.workspaces ?? [])];
  const declared = new Set(mapped.map((w) => w.name));
  for (const w of usedWorkspaces(t)) if (!declared.has(w)) mapped.push({ name: w });
  const out: WorkspaceBinding[] = [];
  const context = contextReplacements(ctx.pipelineName, ctx.pr);
  for (const w of mapped) {
    const pipelineWs = w.workspace ?? w.name;
    const b = byName.get(pipelineWs);
    if (b === undefined) {
      const optional = (t.spec?.workspaces ?? []).some((d) => d.name === w.name && d.optional);
      if (optional || declared.has(w.name) === false) continue;
      throw new WorkspaceBindingError(
        `expected workspace ${JSON.stringify(pipelineWs)} to be provided by pipelinerun for pipeline task ${JSON.stringify(t.pt.name)}`,
      );
    }
    const subPath = [b.subPath, w.subPath].filter((s) => s !== undefined && s !== "").join("/");
    let binding: WorkspaceBinding;
    if (b.volumeClaimTemplate !== undefined) {
      binding = {
        name: w.name,
        persistentVolumeClaim: { claimName: volumeClaimTemplateClaimName(b, ctx.pr.metadata.uid ?? "") },
      };
    } else {
      binding = { ...structuredClone(b), name: w.name };
      delete binding.subPath;
    }
    if (subPath !== "") binding.subPath = applyReplacements(subPath, context);
    out.push(binding);
  }
  return out;
}

/** The claims a PipelineRun creates for its volumeClaimTemplate workspaces, shared by its tasks. */
export function claimsFor(pr: PipelineRun): PersistentVolumeClaim[] {
  return (pr.spec.workspaces ?? [])
    .filter((b) => b.volumeClaimTemplate !== undefined)
    .map((b) => {
      const tpl = b.volumeClaimTemplate as {
        metadata?: Record<string, unknown>;
        spec?: Record<string, unknown>;
      };
      return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
          name: volumeClaimTemplateClaimName(b, pr.metadata.uid ?? ""),
          namespace: pr.metadata.namespace ?? "default",
          ownerReferences: [ownerReference(pr)],
        },
        spec: tpl.spec ?? {},
      };
    });
}

function combinationParams(t: TaskState, i: number): Param[] {
  if (!isMatrixed(t.pt.matrix)) return [];
  return fanOut(t.pt.matrix)[i] ?? [];
}

/** The objects to create for a pipeline task that has none yet. */
export function buildChildren(ctx: BuildContext, t: TaskState): KubeObject[] {
  const pr = ctx.pr;
  const trs = taskRunSpecFor(pr, t.pt.name);
  const workspaces = taskWorkspaces(ctx, t);
  let timeout = t.pt.timeout ?? inheritedTimeout(ctx);
  if (trs.timeout !== undefined) timeout = trs.timeout;
  return t.names.map((name, i) => {
    const params = [...combinationParams(t, i), ...(t.pt.params ?? [])];
    const labels: Record<string, string> = {};
    addMissing(labels, trs.metadata?.labels);
    addMissing(labels, childLabels(pr, ctx.spec, t.pt.name));
    const annotations: Record<string, string> = {};
    addMissing(annotations, trs.metadata?.annotations);
    addMissing(annotations, childAnnotations(pr));
    const metadata = {
      name,
      namespace: pr.metadata.namespace ?? "default",
      ownerReferences: [ownerReference(pr)],
      labels,
      annotations,
    };
    if (t.kind === ChildKind.CustomRun) return customRun(t, metadata, params, trs, timeout, workspaces);
    if (t.kind === ChildKind.PipelineRun) return childPipelineRun(t, metadata, params, workspaces, pr);
    addMissing(labels, t.pt.taskSpec?.metadata?.labels);
    addMissing(annotations, t.pt.taskSpec?.metadata?.annotations);
    if (t.pt.onError === "continue") annotations[PipelineLabel.OnErrorAnnotation] = "continue";
    // Tekton leaves params out when there are none (a nil slice), never `params: []`.
    const spec: TaskRunSpec = params.length > 0 ? { params } : {};
    if (t.pt.retries !== undefined) spec.retries = t.pt.retries;
    if (trs.serviceAccountName !== undefined) spec.serviceAccountName = trs.serviceAccountName;
    if (trs.podTemplate !== undefined) spec.podTemplate = trs.podTemplate;
    if (trs.stepSpecs !== undefined) spec.stepSpecs = trs.stepSpecs;
    if (trs.sidecarSpecs !== undefined) spec.sidecarSpecs = trs.sidecarSpecs;
    if (trs.computeResources !== undefined) spec.computeResources = trs.computeResources;
    if (timeout !== undefined) spec.timeout = timeout;
    if (t.taskName !== undefined && t.pt.taskRef !== undefined) spec.taskRef = t.pt.taskRef;
    else if (t.spec !== undefined) spec.taskSpec = t.spec;
    if (workspaces.length > 0) spec.workspaces = workspaces;
    const tr: TaskRun = { apiVersion: "tekton.dev/v1", kind: "TaskRun", metadata, spec };
    return tr;
  });
}

function customRun(
  t: TaskState,
  metadata: KubeObject["metadata"],
  params: Param[],
  trs: PipelineTaskRunSpec,
  timeout: string | undefined,
  workspaces: WorkspaceBinding[],
): CustomRun {
  const spec: CustomRun["spec"] = params.length > 0 ? { params } : {};
  if (t.pt.retries !== undefined) spec.retries = t.pt.retries;
  if (trs.serviceAccountName !== undefined) spec.serviceAccountName = trs.serviceAccountName;
  if (timeout !== undefined) spec.timeout = timeout;
  if (workspaces.length > 0) spec.workspaces = workspaces;
  if (t.pt.taskRef !== undefined) spec.customRef = { ...t.pt.taskRef };
  const ts = t.pt.taskSpec;
  if (ts !== undefined) {
    spec.customSpec = {
      ...(ts.apiVersion !== undefined ? { apiVersion: ts.apiVersion } : {}),
      ...(ts.kind !== undefined ? { kind: ts.kind } : {}),
      ...(ts.metadata !== undefined ? { metadata: ts.metadata } : {}),
      ...(ts.spec !== undefined ? { spec: ts.spec as Json } : {}),
    };
  }
  return { apiVersion: "tekton.dev/v1beta1", kind: "CustomRun", metadata, spec };
}

function childPipelineRun(
  t: TaskState,
  metadata: KubeObject["metadata"],
  params: Param[],
  workspaces: WorkspaceBinding[],
  parent: PipelineRun,
): PipelineRun {
  const spec: PipelineRun["spec"] = params.length > 0 ? { params } : {};
  if (t.pt.pipelineSpec !== undefined) spec.pipelineSpec = t.pt.pipelineSpec;
  else if (t.pt.pipelineRef !== undefined) spec.pipelineRef = t.pt.pipelineRef;
  if (workspaces.length > 0) spec.workspaces = workspaces;
  if (parent.spec.taskRunTemplate !== undefined) spec.taskRunTemplate = parent.spec.taskRunTemplate;
  return { apiVersion: "tekton.dev/v1", kind: "PipelineRun", metadata, spec };
}
