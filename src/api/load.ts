/**
 * Loading resources from YAML/JSON files, directories and stdin, the way `kubectl create -f` reads
 * them. Each file's text is judged by `parse-documents.ts`.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LoadError, LoadErrorReason, STDIN_NAME } from "./load-error.js";
import { collectEntries, fileEntries, type FileEntry, type LoadedDocument } from "./parse-documents.js";

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
  await visitSources(
    sources,
    (entries) => {
      const parsed = collectEntries(entries);
      out.documents.push(...parsed.documents);
      out.errors.push(...parsed.errors);
    },
    opts,
  );
  return out;
}

/**
 * Reads every source in order as {@link loadSources} does, handing each file's entries to `visit`
 * as they are parsed, so that a caller that keeps only a verdict per document holds one document at
 * a time. A source that cannot be read is visited as a single LoadError.
 */
export async function visitSources(
  sources: string[],
  visit: (entries: Iterable<FileEntry>) => void,
  opts: LoadOptions = {},
): Promise<void> {
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
        visit(fileEntries(await readStream(opts.stdin), STDIN_NAME));
        continue;
      }
      for (const file of await expandSource(source)) {
        let text: string;
        try {
          text = await readText(file);
        } catch (err) {
          if (err instanceof LoadError) {
            visit([err]);
            continue;
          }
          throw err;
        }
        visit(fileEntries(text, file));
      }
    } catch (err) {
      if (err instanceof LoadError) visit([err]);
      else throw err;
    }
  }
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

function ioMessage(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
