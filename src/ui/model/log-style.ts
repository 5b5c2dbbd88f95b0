/**
 * The CSS of a styled log segment: palette colours 0–15 as the theme's `--ansi-N` variables (so
 * dark and light themes pick readable shades), the 256-colour cube and grey ramp as `rgb()`,
 * true colours as given; inverse swaps foreground and background.
 *
 * @module
 */

import type { AnsiStyle } from "./ansi.js";

/** The CSS colour of a palette index or `#rrggbb`. */
export function cssColour(c: number | string | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (typeof c === "string") return c;
  if (c < 16) return `var(--ansi-${c})`;
  if (c >= 232) {
    const v = 8 + (c - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const n = c - 16;
  const step = (x: number): number => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${step(Math.floor(n / 36))},${step(Math.floor(n / 6) % 6)},${step(n % 6)})`;
}

/** The inline style of a segment, or undefined for plain text. */
export function cssOf(s: AnsiStyle): Record<string, string> | undefined {
  const fg = cssColour(s.inverse ? s.bg : s.fg);
  const bg = cssColour(s.inverse ? s.fg : s.bg);
  const out: Record<string, string> = {};
  if (fg) out["color"] = fg;
  if (bg) out["background-color"] = bg;
  if (s.bold) out["font-weight"] = "bold";
  if (s.dim) out["opacity"] = "0.7";
  if (s.italic) out["font-style"] = "italic";
  if (s.underline) out["text-decoration"] = "underline";
  return Object.keys(out).length > 0 ? out : undefined;
}
