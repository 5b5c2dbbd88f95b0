/**
 * Multi-document YAML text handled without building one syntax tree for the whole file: the size
 * check for each document, and parsing a large file one document at a time.
 */
import { YamlError, parseYaml, type YamlDocument } from "./yaml.js";

/** Largest YAML document read (the API server's request limit: a larger object cannot be sent). */
export const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

/** Above this size a file is parsed one document at a time, so that one syntax tree is alive at once. */
export const LARGE_FILE_CHARS = 1024 * 1024;

/**
 * The documents of `text` one at a time. Above {@link LARGE_FILE_CHARS}, the text is split at
 * `---` lines (which YAML forbids inside content) and each document is parsed alone, so that only
 * one document's syntax tree and value are alive at once, whatever the number of documents.
 * @throws YamlError (with the line in the whole file) at the first document that cannot be read.
 */
export function* yamlDocuments(text: string): Generator<YamlDocument> {
  if (text.length <= LARGE_FILE_CHARS) {
    yield* parseYaml(text);
    return;
  }
  const marker = /^---(?:[ \t].*)?$/gm;
  let index = 0;
  let line = 1;
  let from = 0;
  while (from < text.length) {
    let next = marker.exec(text);
    while (next !== null && next.index <= from) next = marker.exec(text);
    const to = next?.index ?? text.length;
    let docs: YamlDocument[];
    try {
      docs = parseYaml(text.slice(from, to));
    } catch (err) {
      if (err instanceof YamlError) throw new YamlError(err.message, err.line + line - 1);
      throw err;
    }
    for (const d of docs) {
      index++;
      yield { ...d, index, line: d.line + line - 1, itemLines: d.itemLines.map((l) => l + line - 1) };
    }
    line += countLines(text, from, to);
    from = to;
  }
}

/** The first document whose text is over {@link MAX_DOCUMENT_BYTES}, found without parsing. */
export function oversizedDocument(text: string): { index: number; line: number; bytes: number } | undefined {
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
