/**
 * `pods/{pod}/log`: a step's output, read from `<dataDir>/pods/<ns>/<pod>/logs/<container>.log`.
 * With `follow=true` new bytes are streamed until the container is terminated in the TaskRun's
 * status (or the TaskRun is gone, or the client leaves). `tailLines`, `limitBytes` and
 * `timestamps` are honoured; the log files carry no per-line times, so `timestamps=true` prefixes
 * lines already written with the file's modification time and streamed lines with the time they
 * were read.
 *
 * Only names that are RFC 1123 labels/subdomains reach the file system, and the resolved path is
 * checked to stay inside the data directory.
 *
 * @module
 */

import { open, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { ContainerState } from "../api/types.js";
import type { ApiDeps } from "./context.js";
import { isDnsLabel, isDnsSubdomain } from "./context.js";
import { badRequest, notFound } from "./errors.js";
import { findPod } from "./pod-source.js";
import { podContainers } from "./pods.js";
import { rotatedLogPath } from "../executors/rotating-log.js";

/** Query of a log request. */
export interface LogQuery {
  container?: string;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  /** sinceSeconds / sinceTime, as the earliest time wanted. */
  since?: Date;
}

interface Target {
  container: string;
  file: string;
  state: ContainerState;
}

function logFile(dataDir: string, ns: string, pod: string, container: string): string {
  const root = resolve(dataDir, "pods");
  const file = resolve(join(root, ns, pod, "logs", `${container}.log`));
  if (!file.startsWith(root + sep)) throw badRequest("invalid log path");
  return file;
}

function resolveTarget(deps: ApiDeps, ns: string, podName: string, q: LogQuery): Target {
  if (!isDnsLabel(ns)) throw badRequest(`invalid namespace "${ns}"`);
  if (!isDnsSubdomain(podName)) throw badRequest(`invalid pod name "${podName}"`);
  const found = findPod(deps.store, ns, podName);
  if (found === undefined) throw notFound("pods", podName);
  const containers = podContainers(found.pod);
  let name = q.container;
  if (name === undefined || name === "") {
    if (containers.length !== 1 || containers[0] === undefined) {
      throw badRequest(
        `a container name must be specified for pod ${podName}, choose one of: [${containers.map((c) => c.name).join(" ")}]`,
      );
    }
    name = containers[0].name;
  }
  const c = containers.find((x) => x.name === name);
  if (c === undefined || !isDnsLabel(name))
    throw badRequest(`container ${name} is not valid for pod ${podName}`);
  return { container: name, file: logFile(deps.dataDir, ns, podName, name), state: c.state };
}

function currentState(deps: ApiDeps, ns: string, pod: string, container: string): ContainerState | undefined {
  const found = findPod(deps.store, ns, pod);
  return found ? podContainers(found.pod).find((c) => c.name === container)?.state : undefined;
}

async function readFrom(file: string, offset: number, max = READ_CHUNK): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw err;
  }
  try {
    const { size } = await fh.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(Math.min(size - offset, max));
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Bytes read from a log file at a time: a request never holds more of a log in memory. */
const READ_CHUNK = 256 * 1024;

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}

/** A container's log as one byte sequence: its rotated file, then its current file. */
interface LogSegments {
  parts: Array<{ file: string; size: number }>;
}

async function segments(file: string): Promise<LogSegments> {
  const rotated = rotatedLogPath(file);
  return {
    parts: [
      { file: rotated, size: await sizeOf(rotated) },
      { file, size: await sizeOf(file) },
    ],
  };
}

async function inodeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).ino;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

const total = (s: LogSegments): number => s.parts.reduce((n, p) => n + p.size, 0);

/** Reads up to `max` bytes at logical `offset` of the segments, across their boundary. */
async function readSegments(s: LogSegments, offset: number, max: number): Promise<Buffer> {
  const out: Buffer[] = [];
  let base = 0;
  let at = offset;
  let left = max;
  for (const p of s.parts) {
    if (left > 0 && at < base + p.size) {
      const chunk = await readFrom(p.file, at - base, Math.min(left, base + p.size - at));
      out.push(chunk);
      at += chunk.length;
      left -= chunk.length;
    }
    base += p.size;
  }
  return Buffer.concat(out);
}

/**
 * Logical offset where the last `lines` lines begin, found by reading backwards a chunk at a
 * time (a trailing newline does not start a line).
 */
async function tailOffset(s: LogSegments, lines: number | undefined): Promise<number> {
  const end = total(s);
  if (lines === undefined) return 0;
  if (lines === 0) return end;
  let pos = end;
  let seen = 0;
  let skipTrailing = true;
  while (pos > 0) {
    const from = Math.max(0, pos - READ_CHUNK);
    const buf = await readSegments(s, from, pos - from);
    for (let i = buf.length - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a) {
        skipTrailing = false;
        continue;
      }
      if (skipTrailing) {
        skipTrailing = false;
        continue;
      }
      seen++;
      if (seen === lines) return from + i + 1;
    }
    pos = from;
  }
  return 0;
}

/** Prefixes each complete line with `time`; returns the rendered text and the unfinished rest. */
function stamp(pending: string, time: string): { text: string; rest: string } {
  const parts = pending.split("\n");
  const rest = parts.pop() ?? "";
  return { text: parts.map((l) => `${time} ${l}\n`).join(""), rest };
}

/** Answers a log request: a finished body, or a stream when following. */
export async function podLogs(
  deps: ApiDeps,
  ns: string,
  pod: string,
  q: LogQuery,
  signal: AbortSignal,
): Promise<Response> {
  const target = resolveTarget(deps, ns, pod, q);
  if (target.state.waiting && !q.follow) {
    throw badRequest(
      `container "${target.container}" in pod "${pod}" is waiting to start: ${target.state.waiting.reason ?? "PodInitializing"}`,
    );
  }
  const segs = await segments(target.file);
  const end = total(segs);
  const mtime =
    end > 0 ? (await stat(target.file).catch(() => stat(rotatedLogPath(target.file)))).mtime : new Date(0);
  let budget = q.limitBytes ?? Infinity;
  const headers = { "content-type": "text/plain" };
  const render = (bytes: Buffer, time: string, pending: { text: string }, final: boolean): Buffer => {
    let out: Buffer = bytes;
    if (q.timestamps) {
      const r = stamp(pending.text + bytes.toString("utf8"), time);
      pending.text = final ? "" : r.rest;
      out = Buffer.from(r.text + (final && r.rest !== "" ? `${time} ${r.rest}` : ""));
    }
    if (out.length > budget) out = out.subarray(0, budget);
    budget -= out.length;
    return out;
  };
  // The files carry no per-line times: output older than sinceSeconds/sinceTime is judged by the
  // file's modification time, so a log last written before it is empty.
  const tooOld = q.since !== undefined && end > 0 && mtime.getTime() < q.since.getTime();
  let cursor = tooOld ? end : await tailOffset(segs, q.tailLines);
  const pending = { text: "" };
  const stillRunning = (): boolean => {
    const s = currentState(deps, ns, pod, target.container);
    return s !== undefined && s.terminated === undefined && !isAttemptOver(deps, ns, pod);
  };
  /** The stored part, streamed a chunk at a time without holding the file in memory. */
  const stored = async function* (final: boolean): AsyncGenerator<Uint8Array> {
    while (cursor < end && budget > 0) {
      const chunk = await readSegments(segs, cursor, READ_CHUNK);
      if (chunk.length === 0) break;
      cursor += chunk.length;
      const out = render(chunk, mtime.toISOString(), pending, final && cursor >= end);
      if (out.length > 0) yield new Uint8Array(out);
    }
  };
  // What follows is read from the current file, from where the stored part ended.
  let offset = segs.parts[1]!.size;
  let currentIno = await inodeOf(target.file);
  const following = q.follow && stillRunning();
  if (!following) {
    const body = stored(true);
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await body.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await body.return(undefined);
        },
      }),
      { status: 200, headers },
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const head of stored(false)) controller.enqueue(head);
      let busy = false;
      const finish = (): void => {
        if (timer !== undefined) clearInterval(timer);
        timer = undefined;
        signal.removeEventListener("abort", finish);
        try {
          controller.close();
        } catch (err) {
          if (!(err instanceof TypeError)) throw err;
        }
      };
      const tick = async (): Promise<void> => {
        if (busy || timer === undefined) return;
        busy = true;
        try {
          const running = stillRunning();
          for (;;) {
            if (budget <= 0 || timer === undefined) break;
            const ino = await inodeOf(target.file);
            let chunk: Buffer;
            if (ino !== undefined && currentIno !== undefined && ino !== currentIno) {
              // The file rotated: finish its old part (now the rotated file), then the new one.
              chunk = await readFrom(rotatedLogPath(target.file), offset);
              if (chunk.length === 0) {
                currentIno = ino;
                offset = 0;
                continue;
              }
            } else {
              currentIno ??= ino;
              chunk = await readFrom(target.file, offset);
            }
            if (chunk.length === 0) break;
            offset += chunk.length;
            const out = render(chunk, new Date().toISOString(), pending, false);
            if (out.length > 0) controller.enqueue(new Uint8Array(out));
          }
          if (!running || budget <= 0) {
            const rest = render(Buffer.alloc(0), new Date().toISOString(), pending, true);
            if (rest.length > 0 && timer !== undefined) controller.enqueue(new Uint8Array(rest));
            finish();
          }
        } finally {
          busy = false;
        }
      };
      timer = setInterval(() => {
        tick().catch((err: unknown) => controller.error(err));
      }, deps.logPollMs);
      signal.addEventListener("abort", finish);
    },
    cancel() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  });
  return new Response(stream, { status: 200, headers });
}

function isAttemptOver(deps: ApiDeps, ns: string, pod: string): boolean {
  const found = findPod(deps.store, ns, pod);
  if (found === undefined) return true;
  const phase = (found.pod["status"] as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
}
