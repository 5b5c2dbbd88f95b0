/**
 * Answers that are already JSON text (lists assembled from the store's encoded objects), and the
 * gzip encoding of large answers for clients that accept it (as the Kubernetes API server: over
 * 128 KiB, fastest level).
 *
 * @module
 */

import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";
import type { Context } from "hono";

/** A response body that is JSON already (UTF-8 bytes): sent as it is. */
export class EncodedJson {
  constructor(readonly bytes: Buffer) {}
}

/** Bodies at least this large are compressed when the client accepts gzip. */
export const GZIP_MIN_BYTES = 128 * 1024;

const gzipAsync = promisify(gzip);

function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(",").some((part) => {
    const [coding = "", ...params] = part.trim().split(";");
    if (coding.trim().toLowerCase() !== "gzip") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Sends `body` (an object, or {@link EncodedJson}) as JSON, gzipped when large and accepted. */
export async function sendJson(c: Context, body: unknown, code = 200): Promise<Response> {
  const data = body instanceof EncodedJson ? body.bytes : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (data.length >= GZIP_MIN_BYTES && acceptsGzip(c.req.header("accept-encoding"))) {
    // zlib works off the event loop: other requests go on while a large list is compressed.
    const zipped = await gzipAsync(data, { level: constants.Z_BEST_SPEED });
    headers["content-encoding"] = "gzip";
    headers["vary"] = "Accept-Encoding";
    return c.body(asBody(zipped), code as 200, headers);
  }
  return c.body(typeof data === "string" ? data : asBody(data), code as 200, headers);
}

/** A Node Buffer as the web body type (its memory is never a SharedArrayBuffer). */
const asBody = (b: Buffer): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>;
