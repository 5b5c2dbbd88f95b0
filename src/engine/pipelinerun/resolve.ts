/**
 * Where a PipelineRun's Pipeline and its pipeline tasks' Tasks come from. The seam is
 * {@link PipelineResolver}: the store-backed default finds Pipelines and Tasks in the
 * PipelineRun's namespace; remote resolvers (git, http, bundles, hub, cluster) plug in by
 * implementing the same interface for `pipelineRef.resolver` / `taskRef.resolver`.
 */
import type { Task, TaskRef, TaskSpec } from "../../api/types.js";
import { ResourceTypes, type Store } from "../../store/index.js";
import type {
  Pipeline,
  PipelineRef,
  PipelineRun,
  PipelineSpec,
  PipelineTask,
} from "../../api/pipeline-types.js";

export interface ResolvedPipeline {
  /** `context.pipeline.name` and the `tekton.dev/pipeline` label. */
  name: string;
  /** The generateName the object was named from (the run itself, for an embedded spec). */
  generateName?: string;
  spec: PipelineSpec;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where a remote Pipeline came from (`status.provenance.refSource`). */
  refSource?: { uri: string; digest: Record<string, string>; entryPoint?: string };
}

export interface ResolvedTaskRef {
  name: string;
  spec: TaskSpec;
}

/** Thrown when a Pipeline or Task cannot be found; the message is Tekton's inner error text. */
export class ResolutionError extends Error {}

/** A remote ref failed: the message is complete (`error requesting remote resource: …`). */
export class RemoteResolutionError extends ResolutionError {}

/** Thrown while a remote resolution is still in progress (the run waits, `Running`). */
export class ResolutionPending extends Error {}

export interface PipelineResolver {
  /** The Pipeline a `pipelineRef` names (`owner`: the PipelineRun asking). */
  pipeline(namespace: string, ref: PipelineRef, owner?: PipelineRun): ResolvedPipeline;
  /** The Task a pipeline task's Tekton `taskRef` names. */
  task(namespace: string, ref: TaskRef, owner?: PipelineRun): ResolvedTaskRef;
  /** Drops what was resolved for a PipelineRun that is done or deleted. */
  forget?(namespace: string, name: string): void;
}

/** Resolves `pipelineRef.name` / `taskRef.name` from the store; any `resolver` is not available. */
export function storeResolver(store: Store): PipelineResolver {
  return {
    pipeline(namespace, ref) {
      if (ref.resolver !== undefined)
        throw new ResolutionError(`resolver ${JSON.stringify(ref.resolver)} is not available`);
      const p = store.get<Pipeline>(ResourceTypes.Pipeline, namespace, ref.name ?? "");
      if (p === undefined)
        throw new ResolutionError(`pipelines.tekton.dev ${JSON.stringify(ref.name ?? "")} not found`);
      return {
        name: ref.name ?? "",
        ...(p.metadata.generateName ? { generateName: p.metadata.generateName } : {}),
        spec: p.spec,
        labels: { ...(p.metadata.labels ?? {}) },
        annotations: { ...(p.metadata.annotations ?? {}) },
      };
    },
    task(namespace, ref) {
      if (ref.resolver !== undefined)
        throw new ResolutionError(`resolver ${JSON.stringify(ref.resolver)} is not available`);
      const kind = ref.kind ?? "Task";
      if (kind !== "Task")
        throw new ResolutionError(
          `${kind.toLowerCase()}s.tekton.dev ${JSON.stringify(ref.name ?? "")} not found`,
        );
      const t = store.get<Task>(ResourceTypes.Task, namespace, ref.name ?? "");
      if (t === undefined)
        throw new ResolutionError(`tasks.tekton.dev ${JSON.stringify(ref.name ?? "")} not found`);
      return { name: ref.name ?? "", spec: t.spec };
    },
  };
}

const TEKTON_GROUP = /^tekton\.dev\//;

/** A pipeline task that runs as a CustomRun: a taskRef/taskSpec with a non-Tekton apiVersion and kind. */
export function isCustomTask(pt: PipelineTask): boolean {
  const ref = pt.taskRef;
  if (ref?.apiVersion !== undefined && ref.kind !== undefined && !TEKTON_GROUP.test(ref.apiVersion))
    return true;
  const spec = pt.taskSpec;
  return spec?.apiVersion !== undefined && spec.kind !== undefined && !TEKTON_GROUP.test(spec.apiVersion);
}

/** A pipeline task that runs a child PipelineRun (pipelines in pipelines). */
export function isChildPipeline(pt: PipelineTask): boolean {
  return pt.pipelineRef !== undefined || pt.pipelineSpec !== undefined;
}

/** The pipeline a PipelineRun runs: inline `pipelineSpec` or its `pipelineRef`. */
export function pipelineOf(pr: PipelineRun, resolver: PipelineResolver): ResolvedPipeline {
  const ns = pr.metadata.namespace ?? "default";
  if (pr.spec.pipelineSpec !== undefined) {
    return {
      name: pr.metadata.name ?? "",
      ...(pr.metadata.generateName ? { generateName: pr.metadata.generateName } : {}),
      spec: pr.spec.pipelineSpec,
      labels: {},
      annotations: {},
    };
  }
  if (pr.spec.pipelineRef === undefined)
    throw new ResolutionError(
      `pipelineRun ${pr.metadata.name ?? ""} not providing PipelineRef or PipelineSpec`,
    );
  return resolver.pipeline(ns, pr.spec.pipelineRef, pr);
}
