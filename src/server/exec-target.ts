/**
 * Which container an exec request reaches: the pod, the container (`?container=`, else the
 * first one, as kubectl defaults), and its {@link ExecTarget}, or the Kubernetes-shaped refusal.
 *
 * @module
 */

import { join } from "node:path";
import type { ExecTarget } from "../executors/exec-target.js";
import { readExecTarget } from "../executors/exec-target.js";
import { safeName } from "../engine/taskrun/volumes.js";
import type { Store } from "../store/index.js";
import { ApiError, StatusReason, badRequest, notFound } from "./errors.js";
import { findPod } from "./pod-source.js";
import { PodPhase, podContainers } from "./pods.js";

/** A parsed `pods/exec` request. */
export interface ExecQuery {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

/** Parses `/api/v1/namespaces/{ns}/pods/{name}/exec?...`; undefined for any other path. */
export function parseExecUrl(url: string): { query: ExecQuery; verb: "exec" | "attach" } | undefined {
  const u = new URL(url, "https://localhost");
  const m = EXEC_PATH.exec(u.pathname);
  if (m === null) return undefined;
  const flag = (k: string): boolean => ["true", "1"].includes(u.searchParams.get(k) ?? "");
  const container = u.searchParams.get("container");
  return {
    verb: m[3] as "exec" | "attach",
    query: {
      namespace: decodeURIComponent(m[1]!),
      pod: decodeURIComponent(m[2]!),
      ...(container !== null && container !== "" ? { container } : {}),
      command: u.searchParams.getAll("command"),
      stdin: flag("stdin"),
      stdout: flag("stdout"),
      stderr: flag("stderr"),
      tty: flag("tty"),
    },
  };
}

/** Whether a container name is one tektite runs for a TaskRun (a step or a sidecar). */
export function isTektiteContainer(name: string): boolean {
  return name.startsWith("step-") || name.startsWith("sidecar-");
}

/** The container to enter and how, or an ApiError as the API server / kubelet would answer. */
export function resolveExecTarget(
  store: Store,
  dataDir: string,
  q: ExecQuery,
): { container: string; target: ExecTarget } {
  const found = findPod(store, q.namespace, q.pod);
  if (found === undefined) throw notFound("pods", q.pod);
  const containers = podContainers(found.pod);
  const name = q.container ?? containers[0]?.name;
  const listed = containers.find((c) => c.name === name);
  // Sidecars appear in the TaskRun status only once stopped: a running one is known by its record.
  if (
    name === undefined ||
    !isTektiteContainer(name) ||
    (listed === undefined && !name.startsWith("sidecar-"))
  ) {
    throw badRequest(`container ${name ?? ""} is not valid for pod ${q.pod}`);
  }
  const phase = (found.pod["status"] as { phase?: string } | undefined)?.phase;
  if (phase === PodPhase.Succeeded || phase === PodPhase.Failed) {
    throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  if (q.command.length === 0) throw badRequest("you must specify at least one command for the container");
  const podDir = safeName(safeName(join(dataDir, "pods"), q.namespace), q.pod);
  const target =
    listed === undefined || listed.state.running !== undefined ? readExecTarget(podDir, name) : undefined;
  if (target === undefined) {
    throw new ApiError(
      400,
      StatusReason.BadRequest,
      `container ${name} is not running in pod ${q.pod}: cannot exec into a container that has not started or has ended`,
    );
  }
  return { container: name, target };
}
