/**
 * `tektite validate`: load, convert, default and validate resources the way Tekton's admission webhooks
 * would, and report every invalid object with Tekton's message.
 */
import { Command, Option } from "commander";
import { admit } from "../../api/admission.js";
import { ConversionError, configMapValues, secretStringValues } from "../../api/convert.js";
import { DocumentHandling, isAdmitted } from "../../api/kinds.js";
import { LoadError, loadDocuments, objectLabel } from "../../api/load.js";
import type { LoadedDocument } from "../../api/load.js";
import type { KubeObject } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { UserInputError } from "../errors.js";
import { addConfigOptions, resolveConfig, type ConfigOptions } from "../input.js";

/** The verdict on one loaded object. */
export interface ValidationResult {
  kind: string;
  /** `metadata.name`, or `generateName` followed by `*`. */
  name: string;
  file: string;
  line: number;
  valid: boolean;
  /** True for kinds tektite accepts but does not check (LimitRange). */
  skipped: boolean;
  note?: string;
  /** Tekton's rendered messages, empty when valid. */
  errors: string[];
}

/** Validates loaded documents with the given configuration. Pure: no I/O. */
export function validateDocuments(
  docs: LoadedDocument[],
  features: FeatureFlags,
  defaults: ConfigDefaults,
): ValidationResult[] {
  return docs.map((doc) => validateOne(doc, features, defaults));
}

function validateOne(
  doc: LoadedDocument,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): ValidationResult {
  const label = objectLabel(doc.object);
  // A kind tektite cannot run yet is still checked when Tekton's admission knows it.
  const checked =
    doc.handling === DocumentHandling.Supported ||
    (doc.handling === DocumentHandling.Unsupported && isAdmitted(doc.object.kind));
  const result: ValidationResult = {
    kind: doc.object.kind,
    name: label.slice(label.indexOf("/") + 1),
    file: doc.origin.file,
    line: doc.origin.line,
    valid: true,
    skipped: !checked,
    errors: [],
  };
  if (doc.note !== undefined && !checked) result.note = doc.note;
  if (result.skipped) return result;
  const message = checkObject(doc.object, features, defaults);
  if (message !== undefined) {
    result.valid = false;
    result.errors.push(message);
  }
  return result;
}

/** Tekton's message when the object is invalid. Secrets and ConfigMaps are checked for decodable data. */
function checkObject(
  object: KubeObject,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): string | undefined {
  try {
    if (object.kind === "Secret") secretStringValues(object);
    else if (object.kind === "ConfigMap") configMapValues(object);
  } catch (err) {
    if (err instanceof ConversionError) return err.message;
    throw err;
  }
  const admitted = admit(object, features, defaults);
  return "error" in admitted ? admitted.error : undefined;
}

/** The text report: each invalid object as `<kind>/<name>: <message>`, notes, then the counts. */
export function formatText(results: ValidationResult[]): { stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  for (const r of results) {
    if (r.skipped) stderr += `note: ${r.kind}/${r.name} (${r.file}): ${r.note ?? "skipped"}\n`;
    else for (const e of r.errors) stdout += `${r.kind}/${r.name}: ${e}\n`;
  }
  const valid = results.filter((r) => r.valid && !r.skipped).length;
  const invalid = results.filter((r) => !r.valid).length;
  const skipped = results.filter((r) => r.skipped).length;
  stdout += `${valid} valid, ${invalid} invalid${skipped > 0 ? `, ${skipped} skipped` : ""}\n`;
  return { stdout, stderr };
}

/** The `-o json` report. */
export function formatJson(results: ValidationResult[]): string {
  const rows = results.map((r) => {
    const row: Record<string, unknown> = {
      kind: r.kind,
      name: r.name,
      file: r.file,
      line: r.line,
      valid: r.valid,
    };
    if (r.skipped) row["skipped"] = true;
    if (r.note !== undefined) row["note"] = r.note;
    row["errors"] = r.errors;
    return row;
  });
  return `${JSON.stringify({ results: rows }, null, 2)}\n`;
}

interface ValidateOptions extends ConfigOptions {
  filename: string[];
  output: "text" | "json";
}

/** Builds the `validate` command. */
export function validateCommand(): Command {
  const cmd = new Command("validate")
    .description("check resources as Tekton's admission webhooks would, without running them")
    .exitOverride()
    .showHelpAfterError()
    .requiredOption(
      "-f, --filename <source>",
      "file, directory (recursive) or - for stdin; repeatable",
      collect,
    )
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"),
    );
  addConfigOptions(cmd);
  return cmd.action(async (opts: ValidateOptions) => {
    const config = resolveConfig(opts);
    let docs: LoadedDocument[];
    try {
      docs = await loadDocuments(opts.filename, { stdin: process.stdin });
    } catch (err) {
      if (err instanceof LoadError) throw new UserInputError(err.message);
      throw err;
    }
    const results = validateDocuments(docs, config.features, config.defaults);
    if (opts.output === "json") {
      process.stdout.write(formatJson(results));
    } else {
      const { stdout, stderr } = formatText(results);
      process.stderr.write(stderr);
      process.stdout.write(stdout);
    }
    if (results.some((r) => !r.valid)) process.exitCode = 2;
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
