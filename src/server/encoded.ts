/**
 * Answers that are already JSON text (lists assembled from the store's encoded objects, whole or
 * in pieces), and the gzip encoding of large answers for clients that accept it (as the
 * Kubernetes API server: over 128 KiB, fastest level).
 *
 * @module
 */

import { Readable, pipeline } from "node:stream";
import { promisify } from "node:util";
import { constants, createGzip, gzip } from "node:zlib";
import type { Context } from "hono";

/** A response body that is JSON already (UTF-8 bytes): sent as it is. */
export class EncodedJson {
  constructor(readonly bytes: Buffer) {}
}

/**
 * A JSON response body produced in pieces: `read()` gives the next bytes (undefined at the end);
 * `close()` releases what it reads from when the answer stops early.
 */
export class EncodedJsonStream {
  constructor(
    readonly read: () => Buffer | undefined,
    readonly close: () => void,
  ) {}
}

/**
 * How long a streamed answer may take to be read (Kubernetes' API server gives a list the same
 * minute, `--request-timeout`); a client that stops reading is cut off, so it cannot hold the
 * store's read snapshot (and the WAL it pins) for ever.
 */
export const STREAM_TIMEOUT_MS = 60_000;

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

/** Sends `body` (an object, {@link EncodedJson} or {@link EncodedJsonStream}) as JSON, gzipped when large and accepted. */
export async function sendJson(c: Context, body: unknown, code = 200): Promise<Response> {
  if (body instanceof EncodedJsonStream) return sendPieces(c, body, code);
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

/**
 * A small answer is sent whole like any other; a large one as a chunked body read a piece at a
 * time when the connection takes more (so memory holds a piece, not the answer), gzipped as a
 * stream when accepted.
 */
async function sendPieces(c: Context, body: EncodedJsonStream, code: number): Promise<Response> {
  const first: Buffer[] = [];
  let size = 0;
  let piece: Buffer | undefined;
  try {
    while (size < GZIP_MIN_BYTES && (piece = body.read()) !== undefined) {
      first.push(piece);
      size += piece.length;
    }
  } catch (err) {
    body.close();
    throw err;
  }
  if (piece === undefined) return sendJson(c, new EncodedJson(Buffer.concat(first)), code);
  function* pieces(): Generator<Buffer> {
    try {
      yield* first;
      let next: Buffer | undefined;
      while ((next = body.read()) !== undefined) yield next;
    } finally {
      body.close();
    }
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!acceptsGzip(c.req.header("accept-encoding")))
    return c.body(pulledBody(pieces(), STREAM_TIMEOUT_MS), code as 200, headers);
  headers["content-encoding"] = "gzip";
  headers["vary"] = "Accept-Encoding";
  const source = Readable.from(pieces(), { objectMode: false, highWaterMark: 1 });
  const zipped = pipeline(source, createGzip({ level: constants.Z_BEST_SPEED }), () => undefined);
  const chunks = zipped[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return c.body(pulledBody(chunks, STREAM_TIMEOUT_MS), code as 200, headers);
}

/**
 * A body that asks `chunks` for its next chunk only when the connection wants more, and fails
 * (ending what `chunks` reads from) if it is not read to the end within `timeoutMs`.
 */
export function pulledBody(
  chunks: Iterator<Buffer> | AsyncIterator<Buffer>,
  timeoutMs: number,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      start(controller) {
        timer = setTimeout(() => {
          controller.error(new Error(`the answer was not read within ${timeoutMs / 1000} s`));
          void chunks.return?.();
        }, timeoutMs);
        timer.unref();
      },
      async pull(controller) {
        let r: IteratorResult<Buffer>;
        try {
          r = await chunks.next();
        } catch (err) {
          clearTimeout(timer);
          throw err;
        }
        if (r.done === true) {
          clearTimeout(timer);
          controller.close();
        } else controller.enqueue(asBody(r.value));
      },
      async cancel() {
        clearTimeout(timer);
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** A Node Buffer as the web body type (its memory is never a SharedArrayBuffer). */
const asBody = (b: Buffer): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>;
