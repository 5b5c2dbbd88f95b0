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

/** Query of a log request. */
export interface LogQuery {
  container?: string;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
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

async function readFrom(file: string, offset: number): Promise<Buffer> {
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
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function tail(buf: Buffer, lines: number | undefined): Buffer {
  if (lines === undefined) return buf;
  if (lines === 0) return Buffer.alloc(0);
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  let pos = end;
  for (let n = 0; n < lines; n++) {
    const i = buf.lastIndexOf(0x0a, pos - 1);
    if (i < 0) return buf;
    pos = i;
    if (n === lines - 1) return buf.subarray(pos + 1);
  }
  return buf;
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
  const initial = await readFrom(target.file, 0);
  let offset = initial.length;
  const mtime =
    initial.length > 0 ? (await stat(target.file)).mtime.toISOString() : new Date(0).toISOString();
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
  const first = tail(initial, q.tailLines);
  const pending = { text: "" };
  const stillRunning = (): boolean => {
    const s = currentState(deps, ns, pod, target.container);
    return s !== undefined && s.terminated === undefined && !isAttemptOver(deps, ns, pod);
  };
  if (!q.follow || !stillRunning()) {
    const rest = q.follow ? await readFrom(target.file, offset) : Buffer.alloc(0);
    return new Response(new Uint8Array(render(Buffer.concat([first, rest]), mtime, pending, true)), {
      status: 200,
      headers,
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const head = render(first, mtime, pending, false);
      if (head.length > 0) controller.enqueue(new Uint8Array(head));
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
          const chunk = await readFrom(target.file, offset);
          offset += chunk.length;
          const out = render(chunk, new Date().toISOString(), pending, !running);
          if (out.length > 0 && timer !== undefined) controller.enqueue(new Uint8Array(out));
          if (!running || budget <= 0) finish();
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
