/**
 * Loading resources from YAML/JSON files, directories and stdin, the way `kubectl create -f` reads them.
 *
 * Scalars resolve as Kubernetes resolves them: sigs.k8s.io/yaml decodes with go-yaml v2, i.e. YAML 1.1
 * scalars (`yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` is octal, `0b101` binary), timestamps stay
 * strings and there are no base-60 numbers. Turning a boolean or number into a param string is
 * `convert.ts`'s job; here the parsed value is kept.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LineCounter, parseAllDocuments, isMap, isSeq } from "yaml";
import type { Document, Tags, YAMLError } from "yaml";
import { ApiGroup, DocumentHandling, apiVersionsOf, kindForApiVersion, kindInfo } from "./kinds.js";
import type { KubeObject } from "./types.js";

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

/** go-yaml v2 scalars: the YAML 1.1 schema without timestamps (kept as strings) and base-60 numbers. */
const kubernetesTags = (tags: Tags): Tags =>
  tags.filter((t) => {
    if (typeof t !== "object" || t === null || !("tag" in t)) return true;
    if (t.tag === "tag:yaml.org,2002:timestamp") return false;
    return !("format" in t && t.format === "TIME");
  });

/**
 * Parses the text of one file into its resources. Pure: no I/O.
 * @throws LoadError on a syntax error or a document that is not a known resource.
 */
export function parseDocuments(text: string, file: string): LoadedDocument[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: true,
    schema: "yaml-1.1",
    customTags: kubernetesTags,
    merge: true,
    uniqueKeys: false,
  });
  if ("empty" in parsed) {
    const first = parsed.errors[0];
    if (first) throw syntaxError(file, first, lineCounter);
    return [];
  }
  const docs: Document.Parsed[] = parsed;
  const out: LoadedDocument[] = [];
  docs.forEach((doc, i) => {
    const index = i + 1;
    const first = doc.errors[0];
    if (first) throw syntaxError(file, first, lineCounter);
    const contents = doc.contents;
    if (contents === null) return;
    const line = lineOf(contents.range?.[0], lineCounter);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const origin: DocumentOrigin = { file, index, line };
    if (!isRecord(value)) {
      throw new LoadError({
        reason: LoadErrorReason.NotAMapping,
        file,
        line,
        index,
        detail: `document ${index} is not a mapping (found ${describe(value)}); expected a Kubernetes object with apiVersion and kind`,
      });
    }
    if (value["kind"] === "List" && Array.isArray(value["items"])) {
      const itemNodes = isMap(contents) ? contents.get("items", true) : undefined;
      (value["items"] as unknown[]).forEach((item, j) => {
        const node = isSeq(itemNodes) ? itemNodes.items[j] : undefined;
        const itemLine =
          node && typeof node === "object" && "range" in node && Array.isArray(node.range)
            ? lineOf(node.range[0] as number, lineCounter)
            : line;
        out.push(toLoaded(item, { file, index, item: j, line: itemLine }));
      });
      return;
    }
    out.push(toLoaded(value, origin));
  });
  return out;
}

/** Options for {@link loadDocuments}. */
export interface LoadOptions {
  /** Read for the source `-`. */
  stdin?: NodeJS.ReadableStream;
}

/**
 * Reads every source in order: a file, a directory (all `*.yaml`, `*.yml`, `*.json` below it, recursively,
 * in name order), or `-` for stdin.
 * @throws LoadError for the first file that cannot be read or parsed.
 */
export async function loadDocuments(sources: string[], opts: LoadOptions = {}): Promise<LoadedDocument[]> {
  const out: LoadedDocument[] = [];
  let stdinUsed = false;
  for (const source of sources) {
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
        throw new LoadError({ reason: LoadErrorReason.Read, file: STDIN_NAME, detail: "no stdin available" });
      out.push(...parseDocuments(await readStream(opts.stdin), STDIN_NAME));
      continue;
    }
    for (const file of await expandSource(source)) {
      out.push(...parseDocuments(await readText(file), file));
    }
  }
  return out;
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
  const info = kindHandling(apiVersion, kind);
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

function unknownKindDetail(apiVersion: string, kind: string): string {
  const base = `no matches for kind "${kind}" in version "${apiVersion}"`;
  const known = kindInfo(kind);
  const versions = known?.files !== undefined ? apiVersionsOf(known) : [];
  if (versions.length > 0) return `${base} (${kind} is served as ${versions.join(", ")})`;
  if (apiVersion.startsWith(`${ApiGroup.Tekton}/`) || apiVersion === "v1") return base;
  return `${base}; custom-task kinds are not top-level resources: reference them from a CustomRun's customRef or customSpec`;
}

function syntaxError(file: string, err: YAMLError, lc: LineCounter): LoadError {
  const line = err.linePos?.[0].line ?? lineOf(err.pos[0], lc);
  // prettyErrors renders "<message> at line L, column C:\n\n<snippet>"; the line goes in front instead.
  const detail = err.message.replace(/ at line \d+, column (\d+):/, " (column $1):").trimEnd();
  return new LoadError({ reason: LoadErrorReason.Syntax, file, line, detail });
}

function lineOf(offset: number | undefined, lc: LineCounter): number {
  return offset === undefined ? 1 : lc.linePos(offset).line;
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
