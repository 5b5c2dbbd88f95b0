/**
 * The contract every resolver implements (Tekton's `framework.Resolver`): check and default
 * the params, then fetch the bytes of one resource and say where they came from.
 */
import type { KubeObject } from "../../api/types.js";
import type { FeatureFlags } from "../../config/features.js";
import type { ResolverConfigMap, ResolverSettings } from "../../config/resolvers.js";
import type { Param } from "../../api/types.js";

/** `status.provenance.refSource`: where a resolved resource came from. */
export interface RefSource {
  uri: string;
  digest: Record<string, string>;
  entryPoint?: string;
}

/** What a resolver returns (Tekton's `ResolvedResource`). */
export interface ResolvedResource {
  data: Buffer;
  annotations: Record<string, string>;
  refSource: RefSource;
}

/** The kinds resolvers read from the store. */
export type ReadableKind = "Secret" | "ServiceAccount" | "Task" | "Pipeline" | "StepAction";

/** Read access to stored objects (Secrets, ServiceAccounts, Tasks…) for resolvers that need them. */
export type ObjectReader = <T extends KubeObject>(
  kind: ReadableKind,
  namespace: string,
  name: string,
) => T | undefined;

/** Everything a resolver may use for one request. */
export interface ResolverContext {
  /** The namespace of the run that asked (Tekton's request namespace). */
  namespace: string;
  /** This resolver's ConfigMap data. */
  config: Readonly<Record<string, string>>;
  settings: ResolverSettings;
  objects: ObjectReader;
  /** Where resolvers keep what they fetched (git clones by commit). */
  cacheDir: string;
  /** Aborted at the resolver's own timeout or when the run no longer needs the resource. */
  signal: AbortSignal;
}

/** A resolver's params as Tekton reads them: name → string value. */
export type ResolverParams = Record<string, string>;

export interface Resolver {
  /** The `resolver:` value it answers (the `resolution.tekton.dev/type` label). */
  readonly type: string;
  /** Tekton's `GetName`, quoted in errors (`error getting "Git" …`). */
  readonly displayName: string;
  readonly configMap: ResolverConfigMap;
  /** The feature flag that turns it on, and Tekton's message when it is off. */
  enabled(features: FeatureFlags): boolean;
  readonly disabledMessage: string;
  /**
   * Tekton's `ValidateParams`: params with the ConfigMap's defaults applied.
   * @throws Error with Tekton's message for missing or invalid params.
   */
  validate(
    params: ResolverParams,
    config: Readonly<Record<string, string>>,
    settings: ResolverSettings,
  ): ResolverParams;
  /** Fetches the resource; throws Error with Tekton's message. */
  resolve(params: ResolverParams, ctx: ResolverContext): Promise<ResolvedResource>;
  /** The resolver's own time limit in ms (`fetch-timeout`), undefined for the global one. */
  timeoutMs?(config: Readonly<Record<string, string>>): number | undefined;
}

/** A `taskRef`/`pipelineRef`/step `ref` that names a resolver. */
export interface RemoteRef {
  resolver: string;
  params?: Param[];
  /** The concise syntax's URL-like `name`. */
  url?: string;
}

/** The run asking; it owns the ResolutionRequest. */
export interface RefOwner {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
}
