/**
 * YAML read as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2.
 *
 * - YAML 1.1 scalars (`yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` and `0o10` are octal,
 *   `0b101` binary), timestamps stay strings, no base-60 numbers;
 * - integers are exact: beyond 2^53 they stay bigints (the decoder turns them into text or refuses
 *   them by the field's Go type);
 * - a mapping or sequence used as a key is go-yaml's `invalid map key`;
 * - aliases that expand too much are go-yaml's `document contains excessive aliasing`;
 * - nothing is ever printed (the library's warnings are turned off).
 *
 * @module
 */
import { LineCounter, isMap, isSeq, parseAllDocuments, visit } from "yaml";
import { MAX_DEPTH, nestingDepth } from "./decode.js";
import type { Document, Node as YamlNode, ParsedNode, ScalarTag, Tags, YAMLError } from "yaml";

/** A failure to read YAML, worded as kubectl does (without the file name). */
export class YamlError extends Error {
  override readonly name = "YamlError";
  constructor(
    message: string,
    /** Line (from 1) the problem is on. */
    readonly line: number,
  ) {
    super(message);
  }
}

/** Most aliases one document may expand (go-yaml refuses alias bombs). */
const MAX_ALIAS_COUNT = 100;

/** `0o17` is an integer for go-yaml v2 (`strconv.ParseInt(s, 0, 64)`), not a string. */
const octalO: ScalarTag = {
  identify: (v) => typeof v === "bigint" || Number.isInteger(v),
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^[-+]?0[oO][0-7_]+$/,
  resolve: (s: string) => {
    const negative = s.startsWith("-");
    const digits = s.replace(/^[-+]?0[oO]/, "").replace(/_/g, "");
    const n = BigInt(`0o${digits}`);
    return negative ? -n : n;
  },
};

/** Digits with underscores anywhere (go-yaml drops them before reading a number), at least one digit. */
const DIGITS = "[0-9_]*[0-9][0-9_]*";
const EXPONENT = `(?:[eE]_*(?:[-+]_*)?${DIGITS})?`;

/**
 * A float as go-yaml v2 resolves one: after a leading `.`, what `strconv.ParseFloat` reads; after a
 * digit or sign, `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` once underscores are dropped.
 * YAML 1.1's own patterns also take `.`, `-.`, `._` or `.e5` (as NaN), which go-yaml leaves as strings.
 */
const goFloat: ScalarTag = {
  identify: (v) => typeof v === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: new RegExp(
    `^(?:\\.[0-9]+(?:[eE][-+]?[0-9]+)?` +
      `|[0-9][0-9_]*(?:\\.[0-9_]*)?${EXPONENT}` +
      `|[-+](?:_*\\.${DIGITS}|${DIGITS}(?:\\.[0-9_]*)?)${EXPONENT})$`,
  ),
  resolve: (s: string) => parseFloat(s.replace(/_/g, "")),
};

/** YAML 1.1's `.nan`/`.inf` tag: go-yaml reads those words the same way. */
const isNotANumberTag = (t: object): boolean =>
  "test" in t && t.test instanceof RegExp && t.test.test(".nan");

/** go-yaml v2 scalars: YAML 1.1 without timestamps (kept as strings) and base-60 numbers, plus `0o`. */
const kubernetesTags = (tags: Tags): Tags => [
  octalO,
  ...tags.filter((t) => {
    if (typeof t !== "object" || t === null || !("tag" in t)) return true;
    if (t.tag === "tag:yaml.org,2002:timestamp") return false;
    if (t.tag === "tag:yaml.org,2002:float" && !isNotANumberTag(t)) return false;
    return !("format" in t && t.format === "TIME");
  }),
  goFloat,
];

/** One YAML document of a file. */
export interface YamlDocument {
  /** Position in the file, from 1. */
  index: number;
  /** Line (from 1) where the document's content starts. */
  line: number;
  /** The value; undefined for an empty document. */
  value: unknown;
  /** Lines of the items of a top-level `items:` sequence (for `kind: List`). */
  itemLines: number[];
}

/**
 * Parses every document of `text`.
 * @throws YamlError on a syntax error, a collection used as a key, or excessive aliasing.
 */
export function parseYaml(text: string): YamlDocument[] {
  try {
    return parseAll(text);
  } catch (err) {
    // The parser recurses per nesting level: a hostile depth ends in a stack overflow.
    if (err instanceof RangeError) throw new YamlError(`yaml: exceeded max depth of ${MAX_DEPTH}`, 1);
    throw err;
  }
}

function parseAll(text: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: true,
    schema: "yaml-1.1",
    customTags: kubernetesTags,
    merge: true,
    uniqueKeys: false,
    intAsBigInt: true,
    logLevel: "silent",
  });
  const lineOf = (offset: number | undefined): number =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  if ("empty" in parsed) {
    const first = parsed.errors[0];
    if (first) throw syntaxError(first, lineOf);
    return [];
  }
  const out: YamlDocument[] = [];
  (parsed as Document.Parsed[]).forEach((doc, i) => {
    const first = doc.errors[0];
    if (first) throw syntaxError(first, lineOf);
    const contents = doc.contents;
    if (contents === null) return;
    rejectCollectionKeys(doc, lineOf);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) {
        throw new YamlError("yaml: document contains excessive aliasing", lineOf(contents.range[0]));
      }
      throw err;
    }
    if (nestingDepth(value, MAX_DEPTH) > MAX_DEPTH) {
      throw new YamlError(`yaml: exceeded max depth of ${MAX_DEPTH}`, lineOf(contents.range[0]));
    }
    out.push({
      index: i + 1,
      line: lineOf(contents.range[0]),
      value: safeIntegers(value),
      itemLines: itemLines(contents, lineOf),
    });
  });
  return out;
}

function itemLines(contents: ParsedNode, lineOf: (o: number | undefined) => number): number[] {
  if (!isMap(contents)) return [];
  const items = contents.get("items", true);
  if (!isSeq(items)) return [];
  return items.items.map((n) => lineOf((n as { range?: [number] } | null)?.range?.[0]));
}

function rejectCollectionKeys(doc: Document.Parsed, lineOf: (o: number | undefined) => number): void {
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as YamlNode | null;
      if (isMap(key) || isSeq(key)) {
        throw new YamlError(`yaml: invalid map key: ${goRepr(key.toJSON())}`, lineOf(key.range?.[0]));
      }
      return undefined;
    },
  });
}

/** Go's `%#v` of a decoded YAML value, as go-yaml prints an invalid key. */
function goRepr(v: unknown): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goRepr).join(", ")}}`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `map[interface {}]interface {}{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goRepr(x)}`).join(", ")}}`;
}

/** Bigints that fit a double exactly become numbers; the others stay bigints. */
function safeIntegers(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = safeIntegers(v[i]);
    return v;
  }
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = safeIntegers(o[k]);
  }
  return v;
}

function syntaxError(err: YAMLError, lineOf: (o: number | undefined) => number): YamlError {
  const line = err.linePos?.[0].line ?? lineOf(err.pos[0]);
  // prettyErrors renders "<message> at line L, column C:\n\n<snippet>"; the line goes in front instead.
  const detail = err.message.replace(/ at line \d+, column (\d+):/, " (column $1):").trimEnd();
  return new YamlError(detail, line);
}
