/**
 * The dashboard's files (built by Vite into `dist/ui/`) at `/`: `index.html` with `no-cache` (it
 * names the current assets), `/assets/*` with content-hashed names as `immutable`. They are
 * served without a token — the page asks for one and sends it only to the API — and with a
 * Content-Security-Policy that allows nothing but this server.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the built dashboard is, next to the compiled server (`dist/src/server` → `dist/ui`). */
export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../ui/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
} as const;

/** Whether a request path is one of the dashboard's (served without a token). */
export function isUiPath(path: string): boolean {
  return path === "/" || path === "/index.html" || path.startsWith("/assets/");
}

/** The response for a dashboard path, or undefined when there is no such file. */
export async function uiResponse(uiDir: string, path: string): Promise<Response | undefined> {
  const root = resolve(uiDir);
  const relative = path === "/" ? "index.html" : decodeURIComponent(path.slice(1));
  const file = resolve(join(root, relative));
  if (!file.startsWith(root + sep)) return undefined;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw err;
  }
  const immutable = relative.startsWith("assets/");
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      ...SECURITY_HEADERS,
    },
  });
}
