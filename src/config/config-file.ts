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
 * The ConfigMap sections are read by `config-maps.ts`; an unknown top-level key is an error naming it.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { RetentionError, parseKeepSince, retentionPolicy, type RetentionPolicy } from "../api/retention.js";
import { parseTektonVersion, UnknownTektonVersionError } from "../api/tekton-version.js";
import { ConfigError, configDefaultsFromMap, featureFlagsFromMap } from "./config-maps.js";
import type { ConfigDefaults, FeatureFlags } from "./features.js";
import { defaultResolverSettings, withResolverConfigMaps, type ResolverSettings } from "./resolvers.js";

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
