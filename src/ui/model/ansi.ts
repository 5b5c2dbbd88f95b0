/**
 * ANSI SGR colour codes in a log line, turned into styled segments. Each line is parsed on its
 * own (its style starts plain): logs are rendered in windows, so a line must not depend on what
 * lines before it set. Escape sequences other than SGR are dropped.
 *
 * @module
 */

/** The style of a run of text. Colours are palette indices (0–255) or `#rrggbb`. */
export interface AnsiStyle {
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** A run of text with one style. */
export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

// CSI sequences (ESC [ params final) and OSC sequences (ESC ] … BEL or ESC \).
const ESCAPE =
  /\u001b\[([0-9;:?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\u001b[=>78]/g;

function hex(n: number): string {
  return Math.max(0, Math.min(255, n)).toString(16).padStart(2, "0");
}

/** Applies one SGR parameter list to a style (returns a new style). */
function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 22) s.bold = s.dim = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c === 27) s.inverse = false;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const mode = codes[i + 1];
      let colour: number | string | undefined;
      if (mode === 5) {
        colour = codes[i + 2];
        i += 2;
      } else if (mode === 2) {
        colour = `#${hex(codes[i + 2] ?? 0)}${hex(codes[i + 3] ?? 0)}${hex(codes[i + 4] ?? 0)}`;
        i += 4;
      }
      if (colour !== undefined) {
        if (c === 38) s.fg = colour;
        else s.bg = colour;
      }
    }
  }
  for (const k of Object.keys(s) as Array<keyof AnsiStyle>) if (s[k] === false) delete s[k];
  return s;
}

/** Splits a line into styled segments (empty segments are left out). */
export function parseAnsi(line: string): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(line); m !== null; m = ESCAPE.exec(line)) {
    if (m.index > last) out.push({ text: line.slice(last, m.index), style });
    if (m[2] === "m") style = applySgr(style, m[1] ?? "");
    last = ESCAPE.lastIndex;
  }
  if (last < line.length) out.push({ text: line.slice(last), style });
  return out;
}

/** The line without escape sequences. */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, "");
}
