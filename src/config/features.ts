/** Tekton's feature gates (the `feature-flags` ConfigMap) as tektite understands them. */
import { TektonVersion } from "../api/tekton-version.js";

export const ApiFields = { Stable: "stable", Beta: "beta", Alpha: "alpha" } as const;
export type ApiFields = (typeof ApiFields)[keyof typeof ApiFields];

export interface FeatureFlags {
  enableApiFields: ApiFields;
  enableParamEnum: boolean;
  enableArtifacts: boolean;
  enableStepActions: boolean;
  enableConciseResolverSyntax: boolean;
  enableCelInWhenExpression: boolean;
  enableKubernetesSidecar: boolean;
  /** `results-from`: where step results are read from; decides the size-limit policy (docs/tekton-semantics.md#size-limits). */
  resultsFrom: "termination-message" | "sidecar-logs";
  /** `max-result-size` for sidecar-logs results. */
  maxResultSize: number;
  /** `disable-inline-spec`: comma list of kinds (e.g. "taskrun"). */
  disableInlineSpec: string[];
  keepPodOnCancel: boolean;
  awaitSidecarReadiness: boolean;
  /** The resolvers' feature flags (Tekton's `resolvers-feature-flags`, all on by default). */
  enableGitResolver: boolean;
  enableHttpResolver: boolean;
  enableBundlesResolver: boolean;
  enableHubResolver: boolean;
  enableClusterResolver: boolean;
  /**
   * ConfigMap values of the keys tektite does not act on but records in
   * `status.provenance.featureFlags` (see provenance-flags.ts); absent keys take Tekton's defaults.
   */
  recorded?: Readonly<Record<string, string>>;
  /** The Tekton release whose behaviour is emulated (config key `tektonVersion`, `--tekton-version`). */
  tektonVersion: TektonVersion;
}

export interface ConfigDefaults {
  defaultTimeoutMinutes: number;
  defaultServiceAccount: string;
  defaultManagedByLabelValue: string;
  /** YAML of a WorkspaceBinding applied to unbound non-optional workspaces, if set. */
  defaultTaskRunWorkspaceBinding?: string;
  defaultForbiddenEnv: string[];
  /** `default-maximum-resolution-timeout`: how long a remote resolution may take, in ms. */
  defaultMaximumResolutionTimeoutMs: number;
  /** `default-resolver-type`: the resolver of a taskRef that names neither a Task nor a resolver. */
  defaultResolverType: string;
}

export const defaultFeatureFlags = (): FeatureFlags => ({
  enableApiFields: ApiFields.Beta,
  enableParamEnum: false,
  enableArtifacts: false,
  enableStepActions: true,
  enableConciseResolverSyntax: false,
  enableCelInWhenExpression: false,
  enableKubernetesSidecar: false,
  resultsFrom: "termination-message",
  maxResultSize: 4096,
  disableInlineSpec: [],
  keepPodOnCancel: false,
  awaitSidecarReadiness: true,
  enableGitResolver: true,
  enableHttpResolver: true,
  enableBundlesResolver: true,
  enableHubResolver: true,
  enableClusterResolver: true,
  tektonVersion: TektonVersion.Current,
});

/** The alpha gate as Tekton's alpha CI job sets it (docs/tekton-semantics.md#examples). */
export const alphaFeatureFlags = (): FeatureFlags => ({
  ...defaultFeatureFlags(),
  enableApiFields: ApiFields.Alpha,
  enableParamEnum: true,
  enableArtifacts: true,
  enableConciseResolverSyntax: true,
  enableCelInWhenExpression: true,
  enableKubernetesSidecar: true,
  resultsFrom: "sidecar-logs",
  keepPodOnCancel: true,
});

export const defaultConfigDefaults = (): ConfigDefaults => ({
  defaultTimeoutMinutes: 60,
  defaultServiceAccount: "default",
  defaultManagedByLabelValue: "tekton-pipelines",
  defaultForbiddenEnv: [],
  defaultMaximumResolutionTimeoutMs: 60_000,
  defaultResolverType: "",
});
