/**
 * Loading resources from YAML/JSON files, directories and stdin, the way `kubectl create -f` reads them.
 *
 * YAML is read as kubectl reads it (`yaml.ts`); turning a boolean or number into a param string is
 * the decoder's job (`decode.ts`), here the parsed value is kept. Kinds that are neither Tekton's
 * nor read by tektite (Deployment, Role, TriggerTemplate…) are skipped with a note.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ApiGroup, DocumentHandling, apiVersionsOf, kindForApiVersion, kindInfo } from "./kinds.js";
import type { KubeObject } from "./types.js";
import { YamlError, parseYaml, type YamlDocument } from "./yaml.js";

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

/** Why loading failed. */
export const LoadErrorReason = {
  Read: "Read",
  Syntax: "Syntax",
  NotAMapping: "NotAMapping",
  MissingField: "MissingField",
  UnknownKind: "UnknownKind",
  TooLarge: "TooLarge",
} as const;
export type LoadErrorReason = (typeof LoadErrorReason)[keyof typeof LoadErrorReason];

/** A file that cannot be read, parsed, or does not hold resources tektite knows. */
export class LoadError extends Error {
  override readonly name = "LoadError";
  readonly reason: LoadErrorReason;
  readonly file: string;
  readonly line: number | undefined;
  readonly index: number | undefined;
  /** The message without the `file:line: ` prefix. */
  readonly detail: string;

  constructor(opts: {
    reason: LoadErrorReason;
    file: string;
    line?: number;
    index?: number;
    detail: string;
  }) {
    const where = opts.line === undefined ? opts.file : `${opts.file}:${opts.line}`;
    super(`${where}: ${opts.detail}`);
    this.reason = opts.reason;
    this.file = opts.file;
    this.line = opts.line;
    this.index = opts.index;
    this.detail = opts.detail;
  }
}

/** The file name used for documents read from stdin. */
export const STDIN_NAME = "<stdin>";

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

/** Largest YAML document read (the API server's request limit: a larger object cannot be sent). */
export const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

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

/** Above this size a file is parsed one document at a time, so that one syntax tree is alive at once. */
const LARGE_FILE_CHARS = 1024 * 1024;

/** Splits at `---` lines (which YAML forbids inside content) and parses each document alone. */
function parseByDocument(text: string): YamlDocument[] {
  const out: YamlDocument[] = [];
  const marker = /^---(?:[ \t].*)?$/gm;
  const starts = [0];
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) if (m.index > 0) starts.push(m.index);
  let line = 1;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i] ?? 0;
    const to = starts[i + 1] ?? text.length;
    const chunk = text.slice(from, to);
    let docs: YamlDocument[];
    try {
      docs = parseYaml(chunk);
    } catch (err) {
      if (err instanceof YamlError) throw new YamlError(err.message, err.line + line - 1);
      throw err;
    }
    for (const d of docs) {
      out.push({
        ...d,
        index: out.length + 1,
        line: d.line + line - 1,
        itemLines: d.itemLines.map((l) => l + line - 1),
      });
    }
    line += countLines(text, from, to);
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

/** The first document whose text is over {@link MAX_DOCUMENT_BYTES}, found without parsing. */
function oversizedDocument(text: string): { index: number; line: number; bytes: number } | undefined {
  if (text.length <= MAX_DOCUMENT_BYTES / 4 && Buffer.byteLength(text) <= MAX_DOCUMENT_BYTES)
    return undefined;
  let index = 1;
  let startLine = 1;
  let start = 0;
  let line = 1;
  const check = (end: number): { index: number; line: number; bytes: number } | undefined => {
    const bytes = Buffer.byteLength(text.slice(start, end));
    return bytes > MAX_DOCUMENT_BYTES ? { index, line: startLine, bytes } : undefined;
  };
  const marker = /^---(?:[ \t].*)?$/gm;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    if (m.index > 0) {
      const found = check(m.index);
      if (found) return found;
      index++;
    }
    line += countLines(text, start, m.index);
    startLine = line + 1;
    start = m.index;
  }
  return check(text.length);
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
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

/** Options for {@link loadDocuments}. */
export interface LoadOptions {
  /** Read for the source `-`. */
  stdin?: NodeJS.ReadableStream;
}

/** Everything read from the sources: the resources and every problem, file by file. */
export interface LoadResult {
  documents: LoadedDocument[];
  errors: LoadError[];
}

/**
 * Reads every source in order: a file, a directory (all `*.yaml`, `*.yml`, `*.json` below it, recursively,
 * in name order), or `-` for stdin. Every file is read and judged: a bad file or document is
 * reported in `errors` and does not hide the others.
 */
export async function loadSources(sources: string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const out: LoadResult = { documents: [], errors: [] };
  const add = (parsed: ParsedFile): void => {
    out.documents.push(...parsed.documents);
    out.errors.push(...parsed.errors);
  };
  let stdinUsed = false;
  for (const source of sources) {
    try {
      if (source === "-") {
        if (stdinUsed) {
          throw new LoadError({
            reason: LoadErrorReason.Read,
            file: STDIN_NAME,
            detail: "stdin (-) can be given only once",
          });
        }
        stdinUsed = true;
        if (!opts.stdin)
          throw new LoadError({
            reason: LoadErrorReason.Read,
            file: STDIN_NAME,
            detail: "no stdin available",
          });
        add(parseFile(await readStream(opts.stdin), STDIN_NAME));
        continue;
      }
      for (const file of await expandSource(source)) {
        try {
          add(parseFile(await readText(file), file));
        } catch (err) {
          if (err instanceof LoadError) out.errors.push(err);
          else throw err;
        }
      }
    } catch (err) {
      if (err instanceof LoadError) out.errors.push(err);
      else throw err;
    }
  }
  return out;
}

/**
 * Like {@link loadSources}, for callers that stop at the first problem.
 * @throws LoadError for the first file or document that cannot be read or parsed.
 */
export async function loadDocuments(sources: string[], opts: LoadOptions = {}): Promise<LoadedDocument[]> {
  const result = await loadSources(sources, opts);
  const first = result.errors[0];
  if (first) throw first;
  return result.documents;
}

const RESOURCE_FILE = /\.(ya?ml|json)$/i;

async function expandSource(source: string): Promise<string[]> {
  let info;
  try {
    info = await stat(source);
  } catch (err) {
    throw new LoadError({ reason: LoadErrorReason.Read, file: source, detail: ioMessage(err) });
  }
  if (!info.isDirectory()) return [source];
  const files = await walk(source);
  if (files.length === 0) {
    throw new LoadError({
      reason: LoadErrorReason.Read,
      file: source,
      detail: "no .yaml, .yml or .json files in this directory",
    });
  }
  return files;
}

/** Like Go's filepath.Walk: entries in name order, directories descended in place. */
async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new LoadError({ reason: LoadErrorReason.Read, file: dir, detail: ioMessage(err) });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (RESOURCE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new LoadError({ reason: LoadErrorReason.Read, file, detail: ioMessage(err) });
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
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

function ioMessage(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
