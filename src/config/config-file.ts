/**
 * The tektite config file: Tekton's `feature-flags` and `config-defaults` ConfigMap data in one YAML file.
 *
 * ```yaml
 * featureFlags:
 *   enable-api-fields: alpha
 *   enable-param-enum: "true"
 * defaults:
 *   default-timeout-minutes: "30"
 *   default-service-account: builder
 * resolvers:                      # each resolver's ConfigMap, by Tekton's ConfigMap name
 *   git-resolver-config:
 *     default-revision: main
 * resolution:                     # tektite's own resolution settings
 *   urlMap:                       # fetch URLs under a prefix from a mirror (like git's insteadOf)
 *     https://raw.githubusercontent.com/: https://mirror.example.com/raw/
 *   allowLocalGit: false          # git resolver may read local paths and file:// URLs
 * retention:                      # `tektite serve` prunes finished runs (one of the two)
 *   keep: 100                     # the 100 most recent TaskRuns and PipelineRuns per namespace
 *   # keepSince: 24h              # or those completed within 24 hours (minutes or a duration)
 * tektonVersion: v1.11            # the Tekton release to emulate (default: current)
 * ```
 *
 * Values follow Tekton's parsing (`pkg/apis/config/feature_flags.go`, `default.go`). Tekton keys that
 * tektite does not use are accepted and ignored; any other key is an error naming it.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { DurationError, durationToMs, parseGoDuration } from "../api/duration.js";
import { RetentionError, parseKeepSince, retentionPolicy, type RetentionPolicy } from "../api/retention.js";
import { parseTektonVersion, UnknownTektonVersionError } from "../api/tekton-version.js";
import { ApiFields, defaultConfigDefaults, defaultFeatureFlags } from "./features.js";
import type { ConfigDefaults, FeatureFlags } from "./features.js";
import { RECORDED_FLAG_DEFAULTS, type RecordedFlagKey } from "./provenance-flags.js";
import { defaultResolverSettings, withResolverConfigMaps, type ResolverSettings } from "./resolvers.js";

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

/** The parsed config file. */
export interface TektiteConfig {
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** Custom-task plugin modules (`plugins:`), resolved against the config file's directory. */
  plugins: string[];
  /** The resolvers' ConfigMaps (`resolvers:`) over Tekton's shipped defaults. */
  resolvers: ResolverSettings;
  /** Which finished runs `tektite serve` prunes (`retention:`); empty: none. */
  retention: RetentionPolicy;
}

/**
 * Reads and parses a config file (see the module comment for its shape).
 * @throws ConfigError naming the file for unreadable files, bad YAML, unknown keys and bad values.
 */
export function loadConfigFile(path: string): TektiteConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ConfigError(
      `${path}: ${code === "ENOENT" ? "no such file or directory" : (err as Error).message}`,
    );
  }
  return parseConfig(text, path);
}

/** Parses config-file text; `source` names it in errors. */
export function parseConfig(text: string, source: string): TektiteConfig {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new ConfigError(`${source}: ${(err as Error).message.trimEnd()}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) throw new ConfigError(`${source}: expected a mapping with featureFlags and defaults`);
  for (const key of Object.keys(doc)) {
    if (
      ![
        "featureFlags",
        "defaults",
        "plugins",
        "resolvers",
        "resolution",
        "retention",
        "tektonVersion",
      ].includes(key)
    ) {
      throw new ConfigError(
        `${source}: unknown key ${JSON.stringify(key)} (expected featureFlags, defaults, plugins, resolvers, resolution, retention, tektonVersion)`,
      );
    }
  }
  const plugins = doc["plugins"] ?? [];
  if (!Array.isArray(plugins) || !plugins.every((p): p is string => typeof p === "string")) {
    throw new ConfigError(`${source}: plugins must be a list of module paths`);
  }
  try {
    const features = featureFlagsFromMap(stringMap(doc["featureFlags"], "featureFlags"));
    if (doc["tektonVersion"] !== undefined) features.tektonVersion = tektonVersionFrom(doc["tektonVersion"]);
    return {
      features,
      defaults: configDefaultsFromMap(stringMap(doc["defaults"], "defaults")),
      plugins: plugins.map((p) => resolve(dirname(source), p)),
      resolvers: withResolution(resolverSettingsFrom(doc["resolvers"]), doc["resolution"]),
      retention: retentionFrom(doc["retention"]),
    };
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${source}: ${err.message}`);
    throw err;
  }
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

/** ConfigMap data is strings; YAML scalars are accepted as their text, mappings as YAML text. */
function stringMap(value: unknown, section: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ConfigError(`${section} must be a mapping`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) out[k] = "";
    else if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else out[k] = stringify(v);
  }
  return out;
}

/**
 * A `tektonVersion` value (config key or `--tekton-version`).
 * @throws ConfigError naming the accepted releases.
 */
export function tektonVersionFrom(value: unknown, label = "tektonVersion"): FeatureFlags["tektonVersion"] {
  const text = typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
  try {
    return parseTektonVersion(text);
  } catch (err) {
    if (err instanceof UnknownTektonVersionError) throw new ConfigError(`${label}: ${err.message}`);
    throw err;
  }
}

function resolverSettingsFrom(value: unknown): ResolverSettings {
  if (value === undefined || value === null) return defaultResolverSettings();
  if (!isRecord(value)) throw new ConfigError("resolvers must be a mapping of ConfigMap names to data");
  const sections: Record<string, Record<string, string>> = {};
  for (const [name, data] of Object.entries(value)) sections[name] = stringMap(data, `resolvers.${name}`);
  const out = withResolverConfigMaps(defaultResolverSettings(), sections);
  if ("unknown" in out) {
    throw new ConfigError(
      `unknown resolver ConfigMap ${JSON.stringify(out.unknown)} under resolvers (expected git-resolver-config, http-resolver-config, bundleresolver-config, hubresolver-config, cluster-resolver-config)`,
    );
  }
  return out;
}

/** The `retention:` section: `keep` (a count) or `keepSince` (minutes or a duration). */
function retentionFrom(value: unknown): RetentionPolicy {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ConfigError("retention must be a mapping with keep or keepSince");
  for (const key of Object.keys(value)) {
    if (key !== "keep" && key !== "keepSince")
      throw new ConfigError(`unknown key ${JSON.stringify(`retention.${key}`)} (expected keep, keepSince)`);
  }
  const keep = value["keep"];
  const since = value["keepSince"];
  if (keep !== undefined && (typeof keep !== "number" || !Number.isInteger(keep) || keep < 0))
    throw new ConfigError("retention.keep must be a non-negative integer");
  if (since !== undefined && typeof since !== "string" && typeof since !== "number")
    throw new ConfigError("retention.keepSince must be minutes or a duration such as 24h");
  try {
    return retentionPolicy(
      keep,
      since !== undefined ? parseKeepSince(String(since), "retention.keepSince") : undefined,
      { keep: "retention.keep", keepSince: "retention.keepSince" },
    );
  } catch (err) {
    if (err instanceof RetentionError) throw new ConfigError(err.message);
    throw err;
  }
}

/** Applies the `resolution:` section (`urlMap`, `allowLocalGit`). */
function withResolution(base: ResolverSettings, value: unknown): ResolverSettings {
  if (value === undefined || value === null) return base;
  if (!isRecord(value)) throw new ConfigError("resolution must be a mapping with urlMap and allowLocalGit");
  const out: ResolverSettings = { ...base };
  for (const [key, v] of Object.entries(value)) {
    if (key === "urlMap") {
      out.urlMap = Object.entries(stringMap(v, "resolution.urlMap")).map(([prefix, to]) => {
        if (prefix === "" || to === "")
          throw new ConfigError(
            `resolution.urlMap: ${JSON.stringify(prefix)} needs a non-empty prefix and base`,
          );
        return { prefix, base: to };
      });
    } else if (key === "allowLocalGit") {
      if (typeof v !== "boolean") throw new ConfigError("resolution.allowLocalGit must be true or false");
      out.allowLocalGit = v;
    } else {
      throw new ConfigError(
        `unknown key ${JSON.stringify(`resolution.${key}`)} (expected urlMap, allowLocalGit)`,
      );
    }
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
