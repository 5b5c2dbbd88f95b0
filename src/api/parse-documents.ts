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
import { YamlError, type YamlDocument } from "./yaml.js";
import { MAX_DOCUMENT_BYTES, oversizedDocument, yamlDocuments } from "./yaml-documents.js";

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

/** One judged document of a file: a resource, or why a document is not one. */
export type FileEntry = LoadedDocument | LoadError;

/**
 * The resources of one file's text, one at a time, each document judged on its own: a document
 * that is not a resource yields its LoadError and the next one follows. A syntax error (or an
 * oversized document) ends the file: it is the last entry, and {@link endsFile} is true of it.
 * Only one document's value is alive at once. Pure: no I/O.
 */
export function* fileEntries(text: string, file: string): Generator<FileEntry> {
  const fail = (
    reason: LoadErrorReason,
    line: number,
    index: number | undefined,
    detail: string,
  ): LoadError => new LoadError({ reason, file, line, ...(index !== undefined ? { index } : {}), detail });
  const oversized = oversizedDocument(text);
  if (oversized !== undefined) {
    yield fail(
      LoadErrorReason.TooLarge,
      oversized.line,
      oversized.index,
      `document ${oversized.index} is ${oversized.bytes} bytes: Request entity too large: limit is ${MAX_DOCUMENT_BYTES}`,
    );
    return;
  }
  const docs = yamlDocuments(text);
  for (;;) {
    let next: IteratorResult<YamlDocument>;
    try {
      next = docs.next();
    } catch (err) {
      if (!(err instanceof YamlError)) throw err;
      yield fail(LoadErrorReason.Syntax, err.line, undefined, err.message);
      return;
    }
    if (next.done === true) return;
    const { index, line, value } = next.value;
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      yield fail(
        LoadErrorReason.NotAMapping,
        line,
        index,
        `document ${index} is not a mapping (found ${describe(value)}); expected a Kubernetes object with apiVersion and kind`,
      );
      continue;
    }
    if (value["kind"] === "List" && Array.isArray(value["items"])) {
      const itemLines = next.value.itemLines;
      const items = value["items"] as unknown[];
      for (let j = 0; j < items.length; j++) {
        yield judged(() => toLoaded(items[j], { file, index, item: j, line: itemLines[j] ?? line }));
      }
      continue;
    }
    yield judged(() => toLoaded(value, { file, index, line }));
  }
}

/** True for the entry that ends a file: nothing of the file is read as a resource then. */
export function endsFile(entry: FileEntry): entry is LoadError {
  return (
    entry instanceof LoadError &&
    (entry.reason === LoadErrorReason.Syntax || entry.reason === LoadErrorReason.TooLarge)
  );
}

/**
 * Parses the text of one file into its resources, judging each document on its own. A syntax
 * error (or an oversized document) ends the file: only that error is reported. Pure: no I/O.
 */
export function parseFile(text: string, file: string): ParsedFile {
  return collectEntries(fileEntries(text, file));
}

/** One file's entries gathered: an error that ends the file replaces its documents. */
export function collectEntries(entries: Iterable<FileEntry>): ParsedFile {
  const out: ParsedFile = { documents: [], errors: [] };
  for (const entry of entries) {
    if (endsFile(entry)) return { documents: [], errors: [entry] };
    if (entry instanceof LoadError) out.errors.push(entry);
    else out.documents.push(entry);
  }
  return out;
}

function judged(load: () => LoadedDocument): FileEntry {
  try {
    return load();
  } catch (err) {
    if (err instanceof LoadError) return err;
    throw err;
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
