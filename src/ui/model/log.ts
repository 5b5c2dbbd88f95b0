/**
 * A step's log as the viewer holds it: lines appended as they stream in, with the server's
 * timestamps split off, `::group::`/`::endgroup::` blocks that can be collapsed, and
 * `::error::`/`::warning::` (and the other level markers) recognised per line. Lines are parsed
 * when shown, not when appended, so a 50 MB log costs one split per chunk.
 *
 * @module
 */

/** Level markers a line can start with. */
export const LogLevel = {
  Error: "error",
  Warning: "warning",
  Notice: "notice",
  Info: "info",
  Debug: "debug",
  Trace: "trace",
} as const;
/** One of {@link LogLevel}'s values. */
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** A line ready to show. */
export interface LogLine {
  /** The time the server prefixed (with `timestamps=true`), if any. */
  time?: string;
  /** The text to show (markers removed). */
  text: string;
  level?: LogLevel;
  /** Set on a `::group::` line: the group's index in {@link LogDocument.groups}. */
  group?: number;
}

/** A `::group::` block: its header line and its last line (the `::endgroup::` line, once seen). */
export interface LogGroup {
  title: string;
  start: number;
  end?: number;
}

/** Which lines are shown, in order, given the collapsed groups. */
export interface LogRows {
  count: number;
  /** The line index shown at row `row`. */
  lineAt(row: number): number;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;
const GROUP = /^::group::(.*)$/;
const END_GROUP = /^::endgroup::\s*$/;
const MARKER = /^::(error|warning|notice|info|debug|trace)(?: [^:]*)?::(.*)$/;

/** Splits the server's timestamp off a line. */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const m = TIMESTAMP.exec(line);
  return m && m[1] !== undefined ? { time: m[1], text: line.slice(m[0].length) } : { text: line };
}

/** A growing log. */
export class LogDocument {
  private readonly texts: string[] = [];
  private readonly times: Array<string | undefined> = [];
  private readonly groupOfLine = new Map<number, number>();
  private readonly endLines = new Set<number>();
  private readonly groupList: LogGroup[] = [];
  private open: LogGroup | undefined;
  private pending = "";
  private bytes = 0;

  /** Adds streamed text; a line without its newline yet waits for the next chunk. */
  append(chunk: string): void {
    if (chunk === "") return;
    this.bytes += chunk.length;
    const parts = (this.pending + chunk).split("\n");
    this.pending = parts.pop() ?? "";
    for (const p of parts) this.push(p);
  }

  /** Ends the stream: a last line without a newline becomes a line. */
  finish(): void {
    if (this.pending !== "") this.push(this.pending);
    this.pending = "";
  }

  private push(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const { time, text } = splitTimestamp(line);
    const index = this.texts.length;
    this.texts.push(text);
    this.times.push(time);
    const g = GROUP.exec(text);
    if (g) {
      if (this.open) this.open.end = index - 1;
      this.open = { title: g[1] ?? "", start: index };
      this.groupOfLine.set(index, this.groupList.length);
      this.groupList.push(this.open);
    } else if (END_GROUP.test(text)) {
      this.endLines.add(index);
      if (this.open) this.open.end = index;
      this.open = undefined;
    }
  }

  /** Number of complete lines. */
  get lineCount(): number {
    return this.texts.length;
  }

  /** Characters received so far. */
  get size(): number {
    return this.bytes;
  }

  /** The groups, in order. */
  get groups(): readonly LogGroup[] {
    return this.groupList;
  }

  /** Line `i`, parsed for display. */
  line(i: number): LogLine {
    const text = this.texts[i] ?? "";
    const time = this.times[i];
    const base = time !== undefined ? { time } : {};
    const group = this.groupOfLine.get(i);
    if (group !== undefined) return { ...base, text: this.groupList[group]?.title ?? "", group };
    const m = MARKER.exec(text);
    if (m) return { ...base, text: m[2] ?? "", level: m[1] as LogLevel };
    return { ...base, text };
  }

  /** The shown lines: `::endgroup::` lines never, a collapsed group's lines after its header not. */
  rows(collapsed: ReadonlySet<number>): LogRows {
    if (this.groupList.length === 0) return { count: this.texts.length, lineAt: (r) => r };
    const shown = new Uint32Array(this.texts.length);
    let n = 0;
    for (let i = 0; i < this.texts.length; i++) {
      if (this.endLines.has(i)) continue;
      shown[n++] = i;
      const g = this.groupOfLine.get(i);
      if (g !== undefined && collapsed.has(g)) {
        const end = this.groupList[g]?.end;
        i = end === undefined ? this.texts.length : end;
      }
    }
    return { count: n, lineAt: (r) => shown[r] ?? 0 };
  }
}
