/**
 * ResolutionRequest objects (`resolution.tekton.dev/v1beta1`) in the store: one per remote ref
 * of a run, named deterministically, owned by the run, holding the resolved bytes (base64),
 * the resolver's annotations and `refSource` once done — what `kubectl get resolutionrequests`
 * shows and what a later reconcile reuses.
 */
import type { Condition, KubeObject } from "../../api/types.js";
import { AlreadyExistsError, ConflictError, ResourceTypes, type Store } from "../../store/index.js";
import { rfc3339 } from "../../api/time.js";
import type { Clock } from "../clock.js";
import type { RefOwner, RefSource, RemoteRef, ResolvedResource } from "./resolver.js";

export interface ResolutionRequest extends KubeObject {
  kind: "ResolutionRequest";
  spec: { params?: RemoteRef["params"]; url?: string };
  status?: {
    conditions?: Condition[];
    data?: string;
    refSource?: RefSource;
  };
}

export const RESOLVER_TYPE_LABEL = "resolution.tekton.dev/type";

export type RequestOutcome = { resource: ResolvedResource } | { error: string };

function succeededCondition(rr: ResolutionRequest): Condition | undefined {
  return rr.status?.conditions?.find((c) => c.type === "Succeeded");
}

export class ResolutionRequests {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The request for this ref (created when absent) and its outcome when it is done. */
  ensure(
    name: string,
    ref: RemoteRef,
    owner: RefOwner,
  ): { request: ResolutionRequest; done?: RequestOutcome } {
    const type = ResourceTypes.ResolutionRequest;
    let rr = this.store.get<ResolutionRequest>(type, owner.namespace, name);
    if (rr === undefined) {
      try {
        rr = this.store.create<ResolutionRequest>(type, {
          apiVersion: "resolution.tekton.dev/v1beta1",
          kind: "ResolutionRequest",
          metadata: {
            name,
            namespace: owner.namespace,
            labels: { [RESOLVER_TYPE_LABEL]: ref.resolver },
            ownerReferences: [
              {
                apiVersion: owner.apiVersion,
                kind: owner.kind,
                name: owner.name,
                uid: owner.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: { ...(ref.params ? { params: ref.params } : {}), ...(ref.url ? { url: ref.url } : {}) },
        });
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
        rr = this.store.get<ResolutionRequest>(type, owner.namespace, name);
        if (rr === undefined) throw err;
      }
      this.writeStatus(owner.namespace, name, () => ({
        conditions: [this.condition("Unknown", "ResolutionInProgress", "waiting for resolver")],
      }));
      return { request: rr };
    }
    const cond = succeededCondition(rr);
    if (cond?.status === "True" && rr.status?.data !== undefined) {
      return {
        request: rr,
        done: {
          resource: {
            data: Buffer.from(rr.status.data, "base64"),
            annotations: rr.metadata.annotations ?? {},
            refSource: rr.status.refSource ?? { uri: "", digest: {} },
          },
        },
      };
    }
    if (cond?.status === "False") return { request: rr, done: { error: cond.message ?? "" } };
    return { request: rr };
  }

  succeed(namespace: string, name: string, r: ResolvedResource): void {
    const type = ResourceTypes.ResolutionRequest;
    for (let i = 0; i < 10; i++) {
      const rr = this.store.get<ResolutionRequest>(type, namespace, name);
      if (rr === undefined) return;
      try {
        this.store.update(type, {
          ...rr,
          metadata: { ...rr.metadata, annotations: { ...(rr.metadata.annotations ?? {}), ...r.annotations } },
        });
        break;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    this.writeStatus(namespace, name, () => ({
      conditions: [this.condition("True", "", "")],
      data: r.data.toString("base64"),
      refSource: r.refSource,
    }));
  }

  fail(namespace: string, name: string, message: string): void {
    const reason = message.startsWith("resolution took longer than global timeout")
      ? "ResolutionTimedOut"
      : "ResolutionFailed";
    this.writeStatus(namespace, name, () => ({ conditions: [this.condition("False", reason, message)] }));
  }

  private condition(status: Condition["status"], reason: string, message: string): Condition {
    return {
      type: "Succeeded",
      status,
      lastTransitionTime: rfc3339(this.clock.now()),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  }

  private writeStatus(namespace: string, name: string, next: () => ResolutionRequest["status"]): void {
    const type = ResourceTypes.ResolutionRequest;
    for (let i = 0; i < 10; i++) {
      const rr = this.store.get<ResolutionRequest>(type, namespace, name);
      if (rr === undefined) return;
      try {
        this.store.update(type, { ...rr, status: next() }, { subresource: "status" });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }
}
