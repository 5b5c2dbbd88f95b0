/**
 * Watch responses: newline-delimited JSON `{"type":…,"object":…}` events on a chunked HTTP
 * response, as the Kubernetes API server sends them. A resourceVersion older than the retained
 * history yields one `ERROR` event carrying a 410 `Status`, then the stream ends.
 * The stream ends after `timeoutSeconds`, when the client goes away, or when the server closes.
 *
 * @module
 */

import {
  GoneError,
  WatchEventType,
  type StopWatch,
  type WatchEvent,
  type WatchListener,
} from "../store/index.js";
import { toStatus } from "./errors.js";

/** Options of {@link watchResponse}. */
export interface WatchStreamOptions {
  /** Starts the underlying watch; may throw GoneError. */
  start: (listener: WatchListener) => StopWatch;
  /** Rewrites each event's object (version rendering, Table conversion). */
  transform: (event: WatchEvent) => Record<string, unknown> | undefined;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Ends the stream after this long. */
  timeoutMs: number;
  /** Registers a closer so the server can end every open watch on shutdown; returns an unregister. */
  track: (close: () => void) => () => void;
}

/** A streaming watch `Response`. */
export function watchResponse(opts: WatchStreamOptions): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let cleanup = (): void => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let stop: StopWatch | undefined;
      let untrack = (): void => {};
      const close = (): void => {
        if (closed) return;
        closed = true;
        stop?.();
        clearTimeout(timer);
        untrack();
        opts.signal.removeEventListener("abort", close);
        controller.close();
      };
      cleanup = (): void => {
        closed = true;
        stop?.();
        clearTimeout(timer);
        untrack();
      };
      const send = (event: { type: string; object: unknown }): void => {
        if (!closed) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      const timer = setTimeout(close, opts.timeoutMs);
      timer.unref();
      try {
        stop = opts.start((event) => {
          const object = opts.transform(event);
          if (object !== undefined) send({ type: event.type, object });
        });
      } catch (err) {
        if (!(err instanceof GoneError)) throw err;
        send({ type: WatchEventType.Error, object: toStatus(err) });
        close();
        return;
      }
      untrack = opts.track(close);
      if (opts.signal.aborted) close();
      else opts.signal.addEventListener("abort", close);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-cache, private" },
  });
}

/** Random server-side watch timeout like the API server's: between 30 and 60 minutes. */
export function defaultWatchTimeoutMs(): number {
  return (1800 + Math.floor(Math.random() * 1800)) * 1000;
}
