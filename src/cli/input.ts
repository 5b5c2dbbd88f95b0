/**
 * Turns `-f` sources into admitted objects: load, convert to v1, default, validate — the path
 * every object takes before it is stored, as it would through Tekton's admission webhooks.
 */
import { Option, type Command } from "commander";
import { DenialStage, FieldValidation, admit, type AdmissionResult } from "../api/admission.js";
import { DocumentHandling } from "../api/kinds.js";
import { LoadError } from "../api/load-error.js";
import { loadSources } from "../api/load.js";
import { objectLabel, type LoadedDocument } from "../api/parse-documents.js";
import type { KubeObject } from "../api/types.js";
import type { RetentionPolicy } from "../api/retention.js";
import { loadConfigFile, tektonVersionFrom } from "../config/config-file.js";
import { ConfigError, withFeatureGate } from "../config/config-maps.js";
import { TEKTON_VERSIONS, TektonVersion } from "../api/tekton-version.js";
import {
  ApiFields,
  defaultConfigDefaults,
  defaultFeatureFlags,
  type ConfigDefaults,
  type FeatureFlags,
} from "../config/features.js";
import { defaultResolverSettings, type ResolverSettings } from "../config/resolvers.js";
import { UrlMapError, parseUrlRewrite } from "../config/url-map.js";
import { UserInputError } from "./errors.js";

export interface ConfigOptions {
  featureGate?: ApiFields;
  enableParamEnum?: boolean;
  enableArtifacts?: boolean;
  config?: string;
  offline?: boolean;
  urlMap?: string[];
  tektonVersion?: string;
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
    .option("--offline", "resolve remote Tasks and StepActions only from the resolution cache")
    .option(
      "--url-map <prefix=base>",
      "fetch git and http resolver URLs starting with prefix from base instead (a mirror; repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--tekton-version <release>",
      `the Tekton release whose behaviour to emulate: ${TEKTON_VERSIONS.join(", ")} (default ${TektonVersion.Current})`,
    );
}

/** Config precedence: Tekton defaults < --config file < --feature-gate, --tekton-version < --enable-* flags. */
export function resolveConfig(opts: ConfigOptions): {
  features: FeatureFlags;
  defaults: ConfigDefaults;
  plugins: string[];
  resolvers: ResolverSettings;
  retention: RetentionPolicy;
} {
  try {
    let features = defaultFeatureFlags();
    let defaults = defaultConfigDefaults();
    let plugins: string[] = [];
    let resolvers = defaultResolverSettings();
    let retention: RetentionPolicy = {};
    if (opts.config !== undefined)
      ({ features, defaults, plugins, resolvers, retention } = loadConfigFile(opts.config));
    if (opts.featureGate !== undefined) features = withFeatureGate(features, opts.featureGate);
    if (opts.tektonVersion !== undefined)
      features.tektonVersion = tektonVersionFrom(opts.tektonVersion, "--tekton-version");
    if (opts.enableParamEnum) features.enableParamEnum = true;
    if (opts.enableArtifacts) features.enableArtifacts = true;
    if (opts.offline) resolvers = { ...resolvers, offline: true };
    if (opts.urlMap !== undefined)
      resolvers = { ...resolvers, urlMap: [...resolvers.urlMap, ...opts.urlMap.map(parseUrlRewrite)] };
    return { features, defaults, plugins, resolvers, retention };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserInputError(err.message);
    if (err instanceof UrlMapError) throw new UserInputError(`--url-map: ${err.message}`);
    throw err;
  }
}

export interface AdmittedObject {
  object: KubeObject;
  origin: LoadedDocument["origin"];
}

/** An object (or a whole file or document) refused, with where it is. */
export interface RejectedObject {
  /** `Kind/name`, empty when the document could not be read as an object. */
  label: string;
  file: string;
  line?: number;
  /** The field the refusal is about, when the message does not name it (decoding failures). */
  field?: string;
  message: string;
}

export interface Admission {
  admitted: AdmittedObject[];
  rejected: RejectedObject[];
  /** Documents tektite accepts but does not act on, with why; and the API server's warnings. */
  notes: string[];
}

/** `file:line: Kind/name: field: message`, the one way a refusal is printed. */
export function formatRejection(r: RejectedObject): string {
  const where = r.line === undefined ? r.file : `${r.file}:${r.line}`;
  const parts = [where, r.label, r.field, r.message].filter((p) => p !== undefined && p !== "");
  return parts.join(": ");
}

/** A load failure as a refusal. */
export function loadRejection(err: LoadError): RejectedObject {
  return {
    label: "",
    file: err.file,
    ...(err.line !== undefined ? { line: err.line } : {}),
    message: err.detail,
  };
}

/** The refusal of one loaded document, from its admission result. */
export function rejection(
  doc: LoadedDocument,
  result: Extract<AdmissionResult, { error: string }>,
): RejectedObject {
  const path = result.denial.path;
  // Decoding failures carry Go's text, which has no field path; Tekton's validation messages do.
  const decoding =
    result.denial.stage === DenialStage.Decode || result.denial.stage === DenialStage.WebhookDecode;
  return {
    label: objectLabel(doc.object),
    file: doc.origin.file,
    line: doc.origin.line,
    ...(decoding && path !== undefined && path !== "" ? { field: path } : {}),
    message: result.error,
  };
}

/** Loads every source and admits each object; every file and object is judged. */
export async function admitSources(
  sources: string[],
  config: { features: FeatureFlags; defaults: ConfigDefaults },
  opts: { namespace?: string | undefined } = {},
): Promise<Admission> {
  const loaded = await loadSources(sources, { stdin: process.stdin });
  const out: Admission = { admitted: [], rejected: loaded.errors.map(loadRejection), notes: [] };
  for (const doc of loaded.documents) {
    const label = objectLabel(doc.object);
    if (doc.handling !== DocumentHandling.Supported) {
      out.notes.push(`${label} (${doc.origin.file}): ${doc.note ?? "skipped"}`);
      continue;
    }
    if (opts.namespace !== undefined && doc.object.kind !== "Namespace") {
      const given = doc.object.metadata.namespace;
      if (given !== undefined && given !== "" && given !== opts.namespace) {
        out.rejected.push({
          label,
          file: doc.origin.file,
          line: doc.origin.line,
          message: `the namespace from the provided object "${given}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${given}' to perform this operation.`,
        });
        continue;
      }
      doc.object.metadata.namespace = opts.namespace;
    }
    const result = admit(doc.object, config.features, config.defaults, {
      fieldValidation: FieldValidation.Strict,
    });
    if ("error" in result) out.rejected.push(rejection(doc, result));
    else {
      for (const w of result.warnings) out.notes.push(`${label} (${doc.origin.file}): ${w}`);
      out.admitted.push({ object: result.object, origin: doc.origin });
    }
  }
  return out;
}

/** Prints every refusal on stderr and fails with exit code 2 when there is any. */
export function refuseInvalid(admission: Admission): void {
  if (admission.rejected.length === 0) return;
  for (const r of admission.rejected) process.stderr.write(`${formatRejection(r)}\n`);
  throw new UserInputError(`${admission.rejected.length} invalid object(s); nothing was run`);
}
