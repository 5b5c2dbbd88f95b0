/**
 * Custom-task logs: each line a controller logs goes to
 * `<dataDir>/customruns/<namespace>/<name>/attempt-<N>.log` (N = retry count, from 0) and to the
 * engine's `onLog` listener (the CLI prints it as `[<run>/<kind>] line`).
 *
 * @module
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CustomTaskLogger } from "../../customtasks/controller.js";

/** One logged line, for the CLI or the server. */
export interface CustomRunLogEvent {
  /** `CustomRun` or `Run`. */
  runKind: string;
  namespace: string;
  name: string;
  /** The custom task kind (`Wait`, `Approval`…): the CLI shows it where a TaskRun shows its step. */
  container: string;
  retryCount: number;
  level: "info" | "warn" | "error";
  /** The line with its newline. */
  chunk: Buffer;
}

/** Where an attempt's log file lives. */
export function customRunLogPath(
  dataDir: string,
  namespace: string,
  name: string,
  retryCount: number,
): string {
  return join(dataDir, "customruns", namespace, name, `attempt-${retryCount}.log`);
}

/** Builds the logger of one attempt. File errors are reported once through `onError`, never thrown. */
export function createRunLogger(opts: {
  dataDir: string | undefined;
  event: Omit<CustomRunLogEvent, "level" | "chunk">;
  onLog?: (event: CustomRunLogEvent) => void;
  onError?: (err: unknown) => void;
}): CustomTaskLogger {
  const { event } = opts;
  const file =
    opts.dataDir !== undefined
      ? customRunLogPath(opts.dataDir, event.namespace, event.name, event.retryCount)
      : undefined;
  let fileOk = true;
  const write = (level: CustomRunLogEvent["level"], message: string): void => {
    const prefix = level === "info" ? "" : `${level === "warn" ? "warning" : "error"}: `;
    const text = message
      .split("\n")
      .map((l) => `${prefix}${l}\n`)
      .join("");
    if (file !== undefined && fileOk) {
      try {
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, text);
      } catch (err) {
        fileOk = false;
        opts.onError?.(err);
      }
    }
    opts.onLog?.({ ...event, level, chunk: Buffer.from(text) });
  };
  return {
    info: (m) => write("info", m),
    warn: (m) => write("warn", m),
    error: (m) => write("error", m),
  };
}
