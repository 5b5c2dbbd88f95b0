/**
 * Turning the text of one file into the resources it holds, judging each document on its own:
 * `kind: List` items, unknown or foreign kinds, missing fields. Pure: no I/O.
 *
 * YAML is read as kubectl reads it (`yaml.ts`); turning a boolean or number into a param string is
 * the decoder's job (`decode.ts`), here the parsed value is kept. Kinds that are neither Tekton's
 * nor read by tektite (Deployment, Role, TriggerTemplate…) are skipped with a note.
 */
import { ApiGroup, DocumentHandling, apiVersionsOf, kindForApiVersion, kindInfo } from "./kinds.js";
import { LoadError, LoadErrorReason } from "./load-error.js";
import type { KubeObject } from "./types.js";
import { YamlError, parseYaml, type YamlDocument } from "./yaml.js";
import {
  LARGE_FILE_CHARS,
  MAX_DOCUMENT_BYTES,
  oversizedDocument,
  parseByDocument,
} from "./yaml-documents.js";

/** Where a document came from. */
export interface DocumentOrigin {
  /** The path as given (or found under a directory), or `<stdin>`. */
  file: string;
  /** Position of the YAML document in the file, counting from 1. */
  index: number;
  /** For an item of a `kind: List`, its position in `items`, counting from 0. */
  item?: number;
  /** Line (from 1) where the object starts. */
  line: number;
}

/** One resource read from the input. */
export interface LoadedDocument {
  object: KubeObject;
  origin: DocumentOrigin;
  handling: DocumentHandling;
  /** Why the document is unsupported or ignored. */
  note?: string;
}

/** How tektite treats `apiVersion`/`kind`, or undefined when the pair is not accepted in files. */
export function kindHandling(
  apiVersion: string,
  kind: string,
): { handling: DocumentHandling; note?: string } | undefined {
  const k = kindForApiVersion(apiVersion, kind);
  if (k?.files === undefined) return undefined;
  return { handling: k.files, ...(k.note !== undefined ? { note: k.note } : {}) };
}

/** `Kind/name` for messages; a generateName shows as `prefix*`. */
export function objectLabel(obj: { kind?: unknown; metadata?: unknown }): string {
  const kind = typeof obj.kind === "string" && obj.kind !== "" ? obj.kind : "<no kind>";
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = meta["name"];
  const generateName = meta["generateName"];
  if (typeof name === "string" && name !== "") return `${kind}/${name}`;
  if (typeof generateName === "string" && generateName !== "") return `${kind}/${generateName}*`;
  return `${kind}/<no name>`;
}

/** What one file holds: its resources, and every document that could not be read. */
export interface ParsedFile {
  documents: LoadedDocument[];
  errors: LoadError[];
}

/**
 * Parses the text of one file into its resources, judging each document on its own. A syntax
 * error (or an oversized document) ends the file. Pure: no I/O.
 */
export function parseFile(text: string, file: string): ParsedFile {
  const out: ParsedFile = { documents: [], errors: [] };
  const fail = (reason: LoadErrorReason, line: number, index: number | undefined, detail: string): void => {
    out.errors.push(new LoadError({ reason, file, line, ...(index !== undefined ? { index } : {}), detail }));
  };
  const oversized = oversizedDocument(text);
  if (oversized !== undefined) {
    fail(
      LoadErrorReason.TooLarge,
      oversized.line,
      oversized.index,
      `document ${oversized.index} is ${oversized.bytes} bytes: Request entity too large: limit is ${MAX_DOCUMENT_BYTES}`,
    );
    return out;
  }
  let docs: YamlDocument[];
  try {
    docs = text.length > LARGE_FILE_CHARS ? parseByDocument(text) : parseYaml(text);
  } catch (err) {
    if (!(err instanceof YamlError)) throw err;
    fail(LoadErrorReason.Syntax, err.line, undefined, err.message);
    return out;
  }
  for (const doc of docs) {
    const { index, line, value } = doc;
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      fail(
        LoadErrorReason.NotAMapping,
        line,
        index,
        `document ${index} is not a mapping (found ${describe(value)}); expected a Kubernetes object with apiVersion and kind`,
      );
      continue;
    }
    if (value["kind"] === "List" && Array.isArray(value["items"])) {
      (value["items"] as unknown[]).forEach((item, j) => {
        const itemLine = doc.itemLines[j] ?? line;
        collect(out, () => toLoaded(item, { file, index, item: j, line: itemLine }));
      });
      continue;
    }
    collect(out, () => toLoaded(value, { file, index, line }));
  }
  return out;
}

function collect(out: ParsedFile, load: () => LoadedDocument): void {
  try {
    out.documents.push(load());
  } catch (err) {
    if (err instanceof LoadError) out.errors.push(err);
    else throw err;
  }
}

/**
 * Parses the text of one file into its resources. Pure: no I/O.
 * @throws LoadError for the first document that is not a known resource.
 */
export function parseDocuments(text: string, file: string): LoadedDocument[] {
  const parsed = parseFile(text, file);
  const first = parsed.errors[0];
  if (first) throw first;
  return parsed.documents;
}

function toLoaded(value: unknown, origin: DocumentOrigin): LoadedDocument {
  const where =
    origin.item === undefined ? `document ${origin.index}` : `document ${origin.index} items[${origin.item}]`;
  const fail = (reason: LoadErrorReason, detail: string): LoadError =>
    new LoadError({ reason, file: origin.file, line: origin.line, index: origin.index, detail });
  if (!isRecord(value)) {
    throw fail(LoadErrorReason.NotAMapping, `${where} is not a mapping (found ${describe(value)})`);
  }
  const label = objectLabel(value);
  const missing = ["apiVersion", "kind"].filter((k) => typeof value[k] !== "string" || value[k] === "");
  if (missing.length > 0) {
    throw fail(LoadErrorReason.MissingField, `${where} (${label}): ${missing.join(" and ")} not set`);
  }
  const apiVersion = value["apiVersion"] as string;
  const kind = value["kind"] as string;
  if (value["metadata"] !== undefined && value["metadata"] !== null && !isRecord(value["metadata"])) {
    throw fail(LoadErrorReason.NotAMapping, `${where} (${label}): metadata must be a mapping`);
  }
  const info = kindHandling(apiVersion, kind) ?? foreignKind(apiVersion, kind);
  if (!info)
    throw fail(LoadErrorReason.UnknownKind, `${where} (${label}): ${unknownKindDetail(apiVersion, kind)}`);
  const object: KubeObject = {
    ...value,
    apiVersion,
    kind,
    metadata: isRecord(value["metadata"]) ? value["metadata"] : {},
  };
  const loaded: LoadedDocument = { object, origin, handling: info.handling };
  if (info.note !== undefined) loaded.note = info.note;
  return loaded;
}

/** API groups of Kubernetes itself and of Tekton's other projects: their kinds are never custom tasks. */
const WELL_KNOWN_GROUP =
  /(^|\.)(k8s\.io|tekton\.dev|openshift\.io)$|^(|apps|batch|policy|autoscaling|extensions)$/;

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** A kind outside the groups tektite serves: skipped, with a note that says why. */
function foreignKind(
  apiVersion: string,
  kind: string,
): { handling: DocumentHandling; note: string } | undefined {
  const group = groupOf(apiVersion);
  if (group === ApiGroup.Tekton) return undefined;
  const base = `${kind} (${apiVersion}) is skipped: tektite does not act on this kind`;
  const note = WELL_KNOWN_GROUP.test(group)
    ? base
    : `${base}; if it is a custom task, reference it from a CustomRun's customRef or customSpec`;
  return { handling: DocumentHandling.Ignored, note };
}

function unknownKindDetail(apiVersion: string, kind: string): string {
  const base = `no matches for kind "${kind}" in version "${apiVersion}"`;
  const known = kindInfo(kind);
  const versions = known?.files !== undefined ? apiVersionsOf(known) : [];
  if (versions.length > 0) return `${base} (${kind} is served as ${versions.join(", ")})`;
  return base;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a sequence";
  return `a ${typeof value} scalar`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
