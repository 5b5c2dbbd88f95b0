/**
 * Tekton's `feature-flags` and `config-defaults` ConfigMap data read as Tekton reads them
 * (`pkg/apis/config/feature_flags.go`, `default.go`): Tekton's defaults, its parse errors, and the keys
 * Tekton knows but tektite does not act on (accepted and ignored); any other key is an error naming it.
 */
import { DurationError, durationToMs, parseGoDuration } from "../api/duration.js";
import { ApiFields, defaultConfigDefaults, defaultFeatureFlags } from "./features.js";
import type { ConfigDefaults, FeatureFlags } from "./features.js";
import { RECORDED_FLAG_DEFAULTS, type RecordedFlagKey } from "./provenance-flags.js";

/** A config file or value that cannot be used. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Feature-flag keys Tekton knows but tektite does not act on. */
const IGNORED_FEATURE_KEYS = new Set([
  "_example",
  "disable-creds-init",
  "running-in-environment-with-injected-sidecars",
  "require-git-ssh-secret-known-hosts",
  "enable-tekton-oci-bundles",
  "send-cloudevents-for-runs",
  "enforce-nonfalsifiability",
  "trusted-resources-verification-no-match-policy",
  "enable-provenance-in-status",
  "set-security-context",
  "set-security-context-read-only-root-filesystem",
  "coschedule",
  "enable-wait-exponential-backoff",
  "enable-termination-message-compression",
]);

/** config-defaults keys Tekton knows but tektite does not act on. */
const IGNORED_DEFAULTS_KEYS = new Set([
  "_example",
  "default-pod-template",
  "default-affinity-assistant-pod-template",
  "default-cloud-events-sink",
  "default-max-matrix-combinations-count",
  "default-container-resource-requirements",
  "default-imagepullbackoff-timeout",
  "default-create-container-error-timeout",
  "default-sidecar-log-polling-interval",
  "default-step-ref-concurrency-limit",
]);

type BoolFlag =
  | "enableParamEnum"
  | "enableArtifacts"
  | "enableStepActions"
  | "enableConciseResolverSyntax"
  | "enableCelInWhenExpression"
  | "enableKubernetesSidecar"
  | "keepPodOnCancel"
  | "awaitSidecarReadiness"
  | "enableGitResolver"
  | "enableHttpResolver"
  | "enableBundlesResolver"
  | "enableHubResolver"
  | "enableClusterResolver";

/** Boolean keys; `perFeature` ones get Tekton's " for feature <key>" suffix on parse errors. */
const BOOL_FLAGS: Readonly<Record<string, { field: BoolFlag; perFeature: boolean }>> = {
  "enable-param-enum": { field: "enableParamEnum", perFeature: true },
  "enable-artifacts": { field: "enableArtifacts", perFeature: true },
  "enable-step-actions": { field: "enableStepActions", perFeature: false },
  "enable-concise-resolver-syntax": { field: "enableConciseResolverSyntax", perFeature: true },
  "enable-cel-in-whenexpression": { field: "enableCelInWhenExpression", perFeature: true },
  "enable-kubernetes-sidecar": { field: "enableKubernetesSidecar", perFeature: false },
  "keep-pod-on-cancel": { field: "keepPodOnCancel", perFeature: true },
  "await-sidecar-readiness": { field: "awaitSidecarReadiness", perFeature: false },
  "enable-git-resolver": { field: "enableGitResolver", perFeature: false },
  "enable-http-resolver": { field: "enableHttpResolver", perFeature: false },
  "enable-bundles-resolver": { field: "enableBundlesResolver", perFeature: false },
  "enable-hub-resolver": { field: "enableHubResolver", perFeature: false },
  "enable-cluster-resolver": { field: "enableClusterResolver", perFeature: false },
};

/**
 * Feature flags from `feature-flags` ConfigMap data, starting from Tekton's defaults (or `base`).
 * @throws ConfigError for an unknown key or a value Tekton would refuse.
 */
export function featureFlagsFromMap(
  map: Record<string, string>,
  base: FeatureFlags = defaultFeatureFlags(),
): FeatureFlags {
  const flags: FeatureFlags = { ...base, disableInlineSpec: [...base.disableInlineSpec] };
  for (const [key, value] of Object.entries(map)) {
    const bool = BOOL_FLAGS[key];
    if (bool) {
      flags[bool.field] = parseBool(value, bool.perFeature ? ` for feature ${key}` : "");
      continue;
    }
    switch (key) {
      case "enable-api-fields":
        flags.enableApiFields = oneOf(key, value.toLowerCase(), Object.values(ApiFields));
        break;
      case "results-from":
        flags.resultsFrom = oneOf(key, value.toLowerCase(), ["termination-message", "sidecar-logs"] as const);
        break;
      case "max-result-size":
        if (!/^[+-]?\d+$/.test(value))
          throw new ConfigError(
            `strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax (feature flag "max-result-size")`,
          );
        flags.maxResultSize = Number.parseInt(value, 10);
        break;
      case "disable-inline-spec":
        flags.disableInlineSpec = value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        break;
      default:
        if (!IGNORED_FEATURE_KEYS.has(key))
          throw new ConfigError(`unknown feature flag ${JSON.stringify(key)}`);
        if (key in RECORDED_FLAG_DEFAULTS) {
          if (typeof RECORDED_FLAG_DEFAULTS[key as RecordedFlagKey] === "boolean") parseBool(value, "");
          flags.recorded = { ...flags.recorded, [key]: value };
        }
    }
  }
  return flags;
}

/**
 * Defaults from `config-defaults` ConfigMap data, starting from Tekton's defaults.
 * @throws ConfigError for an unknown key or a value Tekton would refuse.
 */
export function configDefaultsFromMap(map: Record<string, string>): ConfigDefaults {
  const defaults = defaultConfigDefaults();
  for (const [key, value] of Object.entries(map)) {
    switch (key) {
      case "default-timeout-minutes":
        if (!/^[+-]?\d+$/.test(value)) throw new ConfigError(`failed parsing default config "${key}"`);
        defaults.defaultTimeoutMinutes = Number.parseInt(value, 10);
        break;
      case "default-service-account":
        defaults.defaultServiceAccount = value;
        break;
      case "default-managed-by-label-value":
        defaults.defaultManagedByLabelValue = value;
        break;
      case "default-task-run-workspace-binding":
        defaults.defaultTaskRunWorkspaceBinding = value;
        break;
      case "default-maximum-resolution-timeout": {
        const ms = goDurationMs(value);
        if (ms === undefined) throw new ConfigError(`failed parsing default config "${key}"`);
        defaults.defaultMaximumResolutionTimeoutMs = ms;
        break;
      }
      case "default-resolver-type":
        defaults.defaultResolverType = value;
        break;
      case "default-forbidden-env":
        defaults.defaultForbiddenEnv = [...new Set(value.split(",").map((s) => s.trim()))]
          .filter((s) => s !== "")
          .sort();
        break;
      default:
        if (!IGNORED_DEFAULTS_KEYS.has(key))
          throw new ConfigError(`unknown config-defaults key ${JSON.stringify(key)}`);
    }
  }
  return defaults;
}

/**
 * Applies a `--feature-gate`: sets `enable-api-fields`; `alpha` also turns on the per-feature alpha flags
 * that Tekton's alpha CI job sets (param enum, artifacts, concise resolver syntax, CEL in when).
 */
export function withFeatureGate(flags: FeatureFlags, gate: ApiFields): FeatureFlags {
  const out: FeatureFlags = { ...flags, enableApiFields: gate };
  if (gate === ApiFields.Alpha) {
    out.enableParamEnum = true;
    out.enableArtifacts = true;
    out.enableConciseResolverSyntax = true;
    out.enableCelInWhenExpression = true;
  }
  return out;
}

/** A Go duration in milliseconds; undefined when it does not parse. */
function goDurationMs(value: string): number | undefined {
  try {
    return durationToMs(parseGoDuration(value));
  } catch (err) {
    if (err instanceof DurationError) return undefined;
    throw err;
  }
}

function parseBool(value: string, suffix: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new ConfigError(
    `failed parsing feature flags config ${JSON.stringify(value)}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax${suffix}`,
  );
}

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`invalid value for feature flag ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
}
