/**
 * `status.provenance.featureFlags`: the feature flags a run was reconciled with, as Tekton's
 * `config.FeatureFlags` struct serialises them (its JSON names and order, `omitempty`: false,
 * "" and 0 are left out). Tekton records them, with `refSource`, only while
 * `enable-provenance-in-status` is on (the default).
 */
import type { FeatureFlags } from "./features.js";

/**
 * Keys tektite does not act on but Tekton records, with Tekton's defaults. Their ConfigMap values
 * are kept in {@link FeatureFlags.recorded}.
 */
export const RECORDED_FLAG_DEFAULTS = {
  "disable-creds-init": false,
  "running-in-environment-with-injected-sidecars": true,
  "require-git-ssh-secret-known-hosts": false,
  "send-cloudevents-for-runs": true,
  "enforce-nonfalsifiability": "none",
  "trusted-resources-verification-no-match-policy": "ignore",
  "enable-provenance-in-status": true,
  "set-security-context": false,
  "set-security-context-read-only-root-filesystem": false,
  coschedule: "workspaces",
  "enable-wait-exponential-backoff": false,
  "enable-termination-message-compression": false,
} as const;
export type RecordedFlagKey = keyof typeof RECORDED_FLAG_DEFAULTS;

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);

function recorded<K extends RecordedFlagKey>(flags: FeatureFlags, key: K): boolean | string {
  const raw = flags.recorded?.[key];
  const fallback = RECORDED_FLAG_DEFAULTS[key];
  if (raw === undefined) return fallback;
  return typeof fallback === "boolean" ? TRUE.has(raw) : raw.toLowerCase();
}

/** Whether runs record `status.provenance` at all. */
export const provenanceInStatus = (flags: FeatureFlags): boolean =>
  recorded(flags, "enable-provenance-in-status") === true;

/** Tekton's `FeatureFlags` JSON for `flags`, in its field order. */
export function provenanceFeatureFlags(flags: FeatureFlags): Record<string, boolean | string | number> {
  const fields: Array<[string, boolean | string | number]> = [
    ["disableCredsInit", recorded(flags, "disable-creds-init")],
    ["runningInEnvWithInjectedSidecars", recorded(flags, "running-in-environment-with-injected-sidecars")],
    ["requireGitSSHSecretKnownHosts", recorded(flags, "require-git-ssh-secret-known-hosts")],
    ["enableAPIFields", flags.enableApiFields],
    ["sendCloudEventsForRuns", recorded(flags, "send-cloudevents-for-runs")],
    ["awaitSidecarReadiness", flags.awaitSidecarReadiness],
    ["enforceNonfalsifiability", recorded(flags, "enforce-nonfalsifiability")],
    ["enableKeepPodOnCancel", flags.keepPodOnCancel],
    ["verificationNoMatchPolicy", recorded(flags, "trusted-resources-verification-no-match-policy")],
    ["enableProvenanceInStatus", recorded(flags, "enable-provenance-in-status")],
    ["resultExtractionMethod", flags.resultsFrom],
    ["maxResultSize", flags.maxResultSize],
    ["setSecurityContext", recorded(flags, "set-security-context")],
    [
      "setSecurityContextReadOnlyRootFilesystem",
      recorded(flags, "set-security-context-read-only-root-filesystem"),
    ],
    ["coschedule", recorded(flags, "coschedule")],
    ["enableCELInWhenExpression", flags.enableCelInWhenExpression],
    // enableStepActions is a no-op flag Tekton no longer sets: always left out.
    ["enableParamEnum", flags.enableParamEnum],
    ["enableArtifacts", flags.enableArtifacts],
    ["disableInlineSpec", flags.disableInlineSpec.join(",")],
    ["enableConciseResolverSyntax", flags.enableConciseResolverSyntax],
    ["enableKubernetesSidecar", flags.enableKubernetesSidecar],
    ["enableWaitExponentialBackoff", recorded(flags, "enable-wait-exponential-backoff")],
    ["enableTerminationMessageCompression", recorded(flags, "enable-termination-message-compression")],
  ];
  return Object.fromEntries(fields.filter(([, v]) => v !== false && v !== "" && v !== 0));
}
