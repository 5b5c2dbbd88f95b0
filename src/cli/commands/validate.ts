/**
 * `tektite validate`: load, convert, default and validate resources the way Tekton's admission webhooks
 * would, and report every invalid object with Tekton's message.
 */
import { Command, Option } from "commander";
import { FieldValidation, admit } from "../../api/admission.js";
import { ConversionError, configMapValues, secretStringValues } from "../../api/convert.js";
import { DocumentHandling, isAdmitted } from "../../api/kinds.js";
import { LoadError } from "../../api/load-error.js";
import { visitSources } from "../../api/load.js";
import { endsFile, objectLabel, type FileEntry, type LoadedDocument } from "../../api/parse-documents.js";
import type { KubeObject } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { ExitCode } from "../exit-codes.js";
import { addConfigOptions, formatRejection, rejection, resolveConfig, type ConfigOptions } from "../input.js";

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
  /** The field a decoding failure is about (its message does not name it). */
  field?: string;
}

/** A file or document that could not be read as an object. */
export function loadFailure(err: LoadError): ValidationResult {
  return {
    kind: "",
    name: "",
    file: err.file,
    line: err.line ?? 0,
    valid: false,
    skipped: false,
    errors: [err.detail],
  };
}

/** The verdicts on one file's entries; an error that ends the file is its only verdict. */
function validateEntries(
  entries: Iterable<FileEntry>,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): ValidationResult[] {
  const out: ValidationResult[] = [];
  for (const entry of entries) {
    if (endsFile(entry)) return [loadFailure(entry)];
    out.push(entry instanceof LoadError ? loadFailure(entry) : validateOne(entry, features, defaults));
  }
  return out;
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
  const refused = checkObject(doc, features, defaults);
  if (refused !== undefined) {
    result.valid = false;
    result.errors.push(refused.message);
    if (refused.field !== undefined) result.field = refused.field;
  }
  return result;
}

/** Why the object is invalid, if it is. Secrets and ConfigMaps are checked for decodable data. */
function checkObject(
  doc: LoadedDocument,
  features: FeatureFlags,
  defaults: ConfigDefaults,
): { message: string; field?: string } | undefined {
  const admitted = admit(doc.object, features, defaults, { fieldValidation: FieldValidation.Strict });
  if ("error" in admitted) return rejection(doc, admitted);
  const object: KubeObject = admitted.object;
  try {
    if (object.kind === "Secret") secretStringValues(object);
    else if (object.kind === "ConfigMap") configMapValues(object);
  } catch (err) {
    if (err instanceof ConversionError) return { message: err.message };
    throw err;
  }
  return undefined;
}

/** The text report: each problem as `<file>:<line>: <kind>/<name>: <message>`, notes, then the counts. */
export function formatText(results: ValidationResult[]): { stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  for (const r of results) {
    if (r.skipped) stderr += `note: ${r.kind}/${r.name} (${r.file}): ${r.note ?? "skipped"}\n`;
    else {
      const label = r.kind === "" ? "" : `${r.kind}/${r.name}`;
      for (const message of r.errors) {
        const line = r.line > 0 ? { line: r.line } : {};
        const field = r.field !== undefined ? { field: r.field } : {};
        stdout += `${formatRejection({ label, file: r.file, ...line, ...field, message })}\n`;
      }
    }
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
    if (r.field !== undefined) row["field"] = r.field;
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
    // File by file, document by document: only the verdicts are kept, never all the objects.
    const results: ValidationResult[] = [];
    await visitSources(
      opts.filename,
      (entries) => results.push(...validateEntries(entries, config.features, config.defaults)),
      { stdin: process.stdin },
    );
    if (opts.output === "json") {
      process.stdout.write(formatJson(results));
    } else {
      const { stdout, stderr } = formatText(results);
      process.stderr.write(stderr);
      process.stdout.write(stdout);
    }
    if (results.some((r) => !r.valid)) process.exitCode = ExitCode.InvalidInput;
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
