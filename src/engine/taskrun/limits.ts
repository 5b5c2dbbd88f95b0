/**
 * What an operator allows a TaskRun author: the host paths `hostPath` volumes may name, and the
 * bounds tektite adds where Tekton has none (a TaskRun is untrusted code; these keep one run from
 * reaching the host or filling the server). Decided once at start-up, applied by the reconciler.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, posix } from "node:path";
import type { Volume } from "../../api/types.js";

export interface RunLimits {
  /**
   * Host directories `hostPath` volumes may name (the volume's path must be one of them or lie
   * under one). Empty: every `hostPath` volume is refused, as Pod Security's `baseline` does.
   */
  allowedHostPaths: readonly string[];
  /** The most steps a Task may have (after StepActions are inlined). */
  maxSteps: number;
  /** The largest `spec.retries` accepted. */
  maxRetries: number;
  /** Bytes of each container's log kept on disk; older output rotates out (kubelet's behaviour). */
  maxLogBytes: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  allowedHostPaths: [],
  maxSteps: 1000,
  maxRetries: 100,
  maxLogBytes: 16 * 1024 * 1024,
};

function resolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return posix.normalize(p);
  }
}

/** Whether `path` (symbolic links resolved) is an allowed host path or lies under one. */
export function hostPathAllowed(path: string, allowed: readonly string[]): boolean {
  if (!isAbsolute(path)) return false;
  const real = resolved(path);
  return allowed.some((a) => {
    const root = resolved(a);
    return real === root || real.startsWith(root === "/" ? "/" : `${root}/`);
  });
}

/** Names of the volumes whose `hostPath` is not allowed. */
export function forbiddenHostPathVolumes(volumes: readonly Volume[], limits: RunLimits): string[] {
  return volumes
    .filter((v) => v.hostPath !== undefined && !hostPathAllowed(v.hostPath.path, limits.allowedHostPaths))
    .map((v) => v.name);
}

/** Pod Security admission's wording for refused `hostPath` volumes. */
export function hostPathForbiddenMessage(podName: string, volumeNames: readonly string[]): string {
  const list = volumeNames.map((n) => `"${n}"`).join(", ");
  const noun = volumeNames.length === 1 ? "volume" : "volumes";
  return `pods "${podName}" is forbidden: violates PodSecurity "baseline:latest": hostPath volumes (${noun} ${list})`;
}

/**
 * How long retry `n` (1, 2, …) waits before it starts: 100 ms doubling up to 30 s, so a run that
 * fails at once cannot spin the server (Tekton retries at once; this is tektite's own bound).
 */
export function retryBackoffMs(n: number): number {
  return Math.min(100 * 2 ** Math.max(0, n - 1), 30_000);
}
