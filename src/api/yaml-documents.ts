/**
 * Multi-document YAML text handled without building one syntax tree for the whole file: the size
 * check for each document, and parsing a large file one document at a time.
 */
import { YamlError, parseYaml, type YamlDocument } from "./yaml.js";

/** Largest YAML document read (the API server's request limit: a larger object cannot be sent). */
export const MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

/** Above this size a file is parsed one document at a time, so that one syntax tree is alive at once. */
export const LARGE_FILE_CHARS = 1024 * 1024;

/** Splits at `---` lines (which YAML forbids inside content) and parses each document alone. */
export function parseByDocument(text: string): YamlDocument[] {
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
