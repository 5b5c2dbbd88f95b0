/**
 * Turns `-f` sources into admitted objects: load, convert to v1, default, validate — the path
 * every object takes before it is stored, as it would through Tekton's admission webhooks.
 */
import { Option, type Command } from "commander";
import { admit } from "../api/admission.js";
import { DocumentHandling } from "../api/kinds.js";
import { LoadError, loadDocuments, objectLabel, type LoadedDocument } from "../api/load.js";
import type { KubeObject } from "../api/types.js";
import { ConfigError, loadConfigFile, withFeatureGate } from "../config/config-file.js";
import {
  ApiFields,
  defaultConfigDefaults,
  defaultFeatureFlags,
  type ConfigDefaults,
  type FeatureFlags,
} from "../config/features.js";
import { defaultResolverSettings, type ResolverSettings } from "../config/resolvers.js";
import { UserInputError } from "./errors.js";

export interface ConfigOptions {
  featureGate?: ApiFields;
  enableParamEnum?: boolean;
  enableArtifacts?: boolean;
  config?: string;
  offline?: boolean;
}

/** Adds the options that choose Tekton's feature flags and defaults. */
export function addConfigOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--feature-gate <gate>",
        "enable-api-fields (alpha also enables Tekton's alpha CI features)",
      ).choices(Object.values(ApiFields)),
    )
    .option("--enable-param-enum", "set feature flag enable-param-enum")
    .option("--enable-artifacts", "set feature flag enable-artifacts")
    .option(
      "--config <file>",
      "YAML with featureFlags:, defaults:, resolvers: (Tekton ConfigMap keys) and plugins:",
    )
    .option("--offline", "resolve remote Tasks and StepActions only from the resolution cache");
}

/** Config precedence: Tekton defaults < --config file < --feature-gate < --enable-* flags. */
export function resolveConfig(opts: ConfigOptions): {
  features: FeatureFlags;
  defaults: ConfigDefaults;
  plugins: string[];
  resolvers: ResolverSettings;
} {
  try {
    let features = defaultFeatureFlags();
    let defaults = defaultConfigDefaults();
    let plugins: string[] = [];
    let resolvers = defaultResolverSettings();
    if (opts.config !== undefined) ({ features, defaults, plugins, resolvers } = loadConfigFile(opts.config));
    if (opts.featureGate !== undefined) features = withFeatureGate(features, opts.featureGate);
    if (opts.enableParamEnum) features.enableParamEnum = true;
    if (opts.enableArtifacts) features.enableArtifacts = true;
    if (opts.offline) resolvers = { ...resolvers, offline: true };
    return { features, defaults, plugins, resolvers };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserInputError(err.message);
    throw err;
  }
}

export interface AdmittedObject {
  object: KubeObject;
  origin: LoadedDocument["origin"];
}

export interface RejectedObject {
  label: string;
  file: string;
  message: string;
}

export interface Admission {
  admitted: AdmittedObject[];
  rejected: RejectedObject[];
  /** Documents tektite accepts but does not act on, with why. */
  notes: string[];
}

/** Loads every source and admits each object; load failures are user errors (exit 2). */
export async function admitSources(
  sources: string[],
  config: { features: FeatureFlags; defaults: ConfigDefaults },
): Promise<Admission> {
  let docs: LoadedDocument[];
  try {
    docs = await loadDocuments(sources, { stdin: process.stdin });
  } catch (err) {
    if (err instanceof LoadError) throw new UserInputError(err.message);
    throw err;
  }
  const out: Admission = { admitted: [], rejected: [], notes: [] };
  for (const doc of docs) {
    const label = objectLabel(doc.object);
    if (doc.handling !== DocumentHandling.Supported) {
      out.notes.push(`${label} (${doc.origin.file}): ${doc.note ?? "skipped"}`);
      continue;
    }
    const result = admit(doc.object, config.features, config.defaults);
    if ("error" in result) out.rejected.push({ label, file: doc.origin.file, message: result.error });
    else out.admitted.push({ object: result.object, origin: doc.origin });
  }
  return out;
}
