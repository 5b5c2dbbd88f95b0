/**
 * The PipelineRun reconciler, the engine's third: level-triggered over the store like the
 * TaskRun and CustomRun reconcilers. `reconcile(key)` reads the PipelineRun and its children,
 * asks {@link decide} what to do, then acts as any client would: creates children (TaskRuns,
 * CustomRuns, child PipelineRuns) with deterministic names, patches `spec.status` of children
 * to cancel them, and writes the status. It learns of its children's progress through their
 * watch (the `tekton.dev/pipelineRun` label), never by calling their reconcilers. Deterministic
 * child names make a reconcile after a restart converge without creating anything twice.
 */
import { isDone } from "../../api/conditions.js";
import { applyDefaults } from "../../api/defaults.js";
import { PipelineLabel } from "../../api/reasons.js";
import type { KubeObject } from "../../api/types.js";
import { CancelSpecStatus } from "../../api/cancel.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  ResourceTypes,
  type ResourceType,
  type Store,
} from "../../store/index.js";
import type { Clock } from "../clock.js";
import { ReconcileLoop, refOf, type ObjectRef } from "../reconcile/loop.js";
import { ChildKind, childDone } from "./children.js";
import { decide } from "./decide.js";
import { cancelMessage, type Decision } from "./decision.js";
import { pipelineOf, storeResolver, type PipelineResolver } from "./resolve.js";
import { isPipelineRunDone } from "./status.js";
import { provenanceFeatureFlags, provenanceInStatus } from "../../config/provenance-flags.js";
import type { PipelineRun } from "../../api/pipeline-types.js";

export interface PipelineRunEngineOptions {
  store: Store;
  clock: Clock;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** Where Pipelines and Tasks come from (default: the store; remote resolvers plug in here). */
  resolver?: PipelineResolver;
  onError?: (key: string, err: unknown) => void;
  onReconcile?: (kind: string, seconds: number, result: "ok" | "error") => void;
}

const TYPE_OF: Record<ChildKind, ResourceType> = {
  TaskRun: ResourceTypes.TaskRun,
  CustomRun: ResourceTypes.CustomRun,
  PipelineRun: ResourceTypes.PipelineRun,
};

export class PipelineRunReconciler {
  private readonly loop: ReconcileLoop;
  private readonly resolver: PipelineResolver;
  private stops: Array<() => void> = [];

  constructor(private readonly opts: PipelineRunEngineOptions) {
    this.resolver = opts.resolver ?? storeResolver(opts.store);
    this.loop = new ReconcileLoop({
      store: opts.store,
      clock: opts.clock,
      types: [ResourceTypes.PipelineRun],
      reconcile: (ref) => this.reconcile(ref),
      ignoreAdded: (obj) => isDone(obj),
      skipUnchangedWrites: true,
      ...(opts.onError !== undefined ? { onError: opts.onError } : {}),
      ...(opts.onReconcile !== undefined ? { onReconcile: opts.onReconcile } : {}),
    });
  }

  private get store(): Store {
    return this.opts.store;
  }

  /** Watches PipelineRuns, and the children of PipelineRuns to reconcile their parent. */
  start(): void {
    this.loop.start();
    for (const type of [ResourceTypes.TaskRun, ResourceTypes.CustomRun, ResourceTypes.PipelineRun]) {
      this.stops.push(
        this.store.watch<KubeObject>(type, { labelSelector: PipelineLabel.PipelineRun }, (ev) => {
          // A child's creation is the parent's own doing; its changes and deletion are news.
          if (ev.type !== "ADDED") this.enqueueParent(ev.object);
        }),
      );
    }
  }

  private enqueueParent(child: KubeObject): void {
    const parent = child.metadata.labels?.[PipelineLabel.PipelineRun];
    if (parent === undefined) return;
    const owned = (child.metadata.ownerReferences ?? []).some(
      (o) => o["kind"] === "PipelineRun" && o["name"] === parent,
    );
    if (owned) this.enqueue(child.metadata.namespace ?? "default", parent);
  }

  enqueue(ns: string, name: string): void {
    this.loop.enqueue(refOf(ResourceTypes.PipelineRun, ns, name));
  }

  async stop(): Promise<void> {
    for (const s of this.stops) s();
    this.stops = [];
    this.loop.stop();
    await this.loop.settled();
  }

  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** Reads, decides, acts. */
  reconcile(ref: ObjectRef): void {
    const { namespace: ns, name } = ref;
    const pr = this.store.get<PipelineRun>(ResourceTypes.PipelineRun, ns, name);
    if (pr === undefined || isPipelineRunDone(pr)) {
      this.loop.clearRequeue(ref);
      this.resolver.forget?.(ns, name);
      return;
    }
    const decision = decide(
      {
        pr,
        pipeline: () => pipelineOf(pr, this.resolver),
        task: (pt) => this.resolver.task(ns, pt.taskRef ?? {}, pr),
        child: (kind, n) => this.store.get(TYPE_OF[kind], ns, n),
        defaultTimeoutMinutes: this.opts.defaults.defaultTimeoutMinutes,
        celInWhen: this.opts.features.enableCelInWhenExpression,
        provenanceFlags: provenanceInStatus(this.opts.features)
          ? provenanceFeatureFlags(this.opts.features)
          : null,
      },
      this.opts.clock.now(),
    );
    this.act(ref, decision);
  }

  private act(ref: ObjectRef, d: Decision): void {
    const { namespace: ns, name } = ref;
    if (d.metadata !== undefined) this.mergeMetadata(ns, name, d.metadata);
    for (const claim of d.claims) this.createIfMissing(ResourceTypes.PersistentVolumeClaim, claim);
    // Children are created as any client creates them, so admission defaults apply (managed-by label, timeout, …).
    for (const child of d.create) {
      this.createIfMissing(
        TYPE_OF[child.kind as ChildKind],
        applyDefaults(child, this.opts.defaults, { create: true }),
      );
    }
    for (const c of d.cancel) this.cancelChild(ns, c.kind, c.name, cancelMessage(c.kind, c.timeout));
    const status = d.status;
    if (status !== undefined) {
      this.loop.writeStatus<PipelineRun>(ref, (latest) => (isPipelineRunDone(latest) ? undefined : status));
    }
    this.loop.clearRequeue(ref);
    if (d.wakeInMs !== undefined) this.loop.requeueAfter(ref, d.wakeInMs);
  }
  private createIfMissing(type: ResourceType, obj: KubeObject): void {
    try {
      this.store.create(type, obj);
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }

  private mergeMetadata(ns: string, name: string, meta: NonNullable<Decision["metadata"]>): void {
    for (let i = 0; i < 10; i++) {
      const pr = this.store.get<PipelineRun>(ResourceTypes.PipelineRun, ns, name);
      if (pr === undefined) return;
      const labels = { ...meta.labels, ...(pr.metadata.labels ?? {}) };
      // The pipeline label is the reconciler's to settle (Tekton's reconciled value wins).
      const settled = meta.labels[PipelineLabel.Pipeline];
      if (settled !== undefined) labels[PipelineLabel.Pipeline] = settled;
      const annotations = { ...meta.annotations, ...(pr.metadata.annotations ?? {}) };
      if (
        JSON.stringify(labels) === JSON.stringify(pr.metadata.labels ?? {}) &&
        JSON.stringify(annotations) === JSON.stringify(pr.metadata.annotations ?? {})
      )
        return;
      try {
        this.store.update(ResourceTypes.PipelineRun, {
          ...pr,
          metadata: { ...pr.metadata, labels, annotations },
        });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  private cancelChild(ns: string, kind: ChildKind, name: string, message: string): void {
    const type = TYPE_OF[kind];
    for (let i = 0; i < 10; i++) {
      const obj = this.store.get<KubeObject>(type, ns, name);
      if (obj === undefined || childDone(obj)) return;
      const spec = (obj["spec"] ?? {}) as Record<string, unknown>;
      if (spec["status"] === CancelSpecStatus[kind]) return;
      const next: Record<string, unknown> = { ...spec, status: CancelSpecStatus[kind] };
      if (kind !== ChildKind.PipelineRun) next["statusMessage"] = message;
      try {
        this.store.update(type, { ...obj, spec: next });
        return;
      } catch (err) {
        if (err instanceof NotFoundError) return;
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }
}
