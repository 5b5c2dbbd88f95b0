/**
 * Remote `pipelineRef`s and pipeline tasks' `taskRef`s behind the synchronous
 * {@link PipelineResolver} seam: the first ask starts the resolution and answers
 * {@link ResolutionPending}; when it settles the PipelineRun is reconciled again and the next
 * ask answers from what was resolved. Refs without a resolver go to the store resolver.
 */
import type { Pipeline, PipelineRef, PipelineRun } from "../../api/pipeline-types.js";
import type { ParamValue, Task, TaskRef } from "../../api/types.js";
import type { RemoteResolver, ResolvedRef } from "../resolution/remote.js";
import { messageOf } from "../resolution/params.js";
import { substituteRefParams } from "../resolution/ref-params.js";
import {
  RemoteResolutionError,
  ResolutionPending,
  type PipelineResolver,
  type ResolvedPipeline,
  type ResolvedTaskRef,
} from "./resolve.js";

interface Entry {
  controller: AbortController;
  resolved?: ResolvedRef;
  error?: string;
}

const URL_LIKE = /[\w-]+:\/\/*/;

export class RemotePipelineResolver implements PipelineResolver {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly local: PipelineResolver,
    private readonly remote: RemoteResolver,
    /** Called when a resolution for this PipelineRun settles. */
    private readonly onSettled: (namespace: string, name: string) => void,
  ) {}

  pipeline(namespace: string, ref: PipelineRef, owner?: PipelineRun): ResolvedPipeline {
    if (!ref.resolver || owner === undefined) return this.local.pipeline(namespace, ref, owner);
    const got = this.lookup("Pipeline", ref, owner);
    const p = got.object as Pipeline;
    return {
      name: p.metadata.name ?? "",
      spec: p.spec,
      labels: { ...(p.metadata.labels ?? {}) },
      annotations: { ...(p.metadata.annotations ?? {}) },
      refSource: got.refSource,
    };
  }

  task(namespace: string, ref: TaskRef, owner?: PipelineRun): ResolvedTaskRef {
    if (!ref.resolver || owner === undefined) return this.local.task(namespace, ref, owner);
    const t = this.lookup("Task", ref, owner).object as Task;
    return { name: t.metadata.name ?? "", spec: t.spec };
  }

  /** Forgets what was resolved for a PipelineRun that is done or gone. */
  forget(namespace: string, name: string): void {
    const prefix = `${namespace}/${name}/`;
    for (const [k, e] of [...this.entries]) {
      if (!k.startsWith(prefix)) continue;
      e.controller.abort(new Error("the PipelineRun no longer needs its remote resources"));
      this.entries.delete(k);
    }
  }

  private lookup(kind: "Pipeline" | "Task", ref: PipelineRef | TaskRef, pr: PipelineRun): ResolvedRef {
    const ns = pr.metadata.namespace ?? "default";
    const name = pr.metadata.name ?? "";
    const values = new Map<string, ParamValue>((pr.spec.params ?? []).map((p) => [p.name, p.value]));
    const params =
      kind === "Pipeline"
        ? substituteRefParams(ref.params, values, {
            "context.pipelineRun.name": name,
            "context.pipelineRun.namespace": ns,
            "context.pipelineRun.uid": pr.metadata.uid ?? "",
          })
        : (ref.params ?? []);
    const url = ref.name !== undefined && URL_LIKE.test(ref.name) ? ref.name : undefined;
    const k = `${ns}/${name}/${kind}/${JSON.stringify([ref.resolver, params, url])}`;
    const entry = this.entries.get(k);
    if (entry?.resolved !== undefined) return entry.resolved;
    if (entry?.error !== undefined) throw new RemoteResolutionError(entry.error);
    if (entry === undefined) {
      const fresh: Entry = { controller: new AbortController() };
      this.entries.set(k, fresh);
      const owner = {
        apiVersion: "tekton.dev/v1",
        kind: "PipelineRun",
        name,
        namespace: ns,
        uid: pr.metadata.uid ?? "",
      };
      this.remote
        .resolve(
          { resolver: ref.resolver ?? "", params, ...(url ? { url } : {}) },
          owner,
          kind,
          fresh.controller.signal,
        )
        .then(
          (resolved) => {
            fresh.resolved = resolved;
          },
          (err: unknown) => {
            fresh.error = messageOf(err);
          },
        )
        .finally(() => {
          if (!fresh.controller.signal.aborted) this.onSettled(ns, name);
        });
    }
    throw new ResolutionPending(`PipelineRun ${ns}/${name} awaiting remote resource`);
  }
}
