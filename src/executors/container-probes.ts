/**
 * Sidecar readiness for container executors (docs/tekton-semantics.md#sidecars): a sidecar is ready once it runs and its
 * startupProbe then readinessProbe pass, or once it has exited.
 */
import type { Probe } from "../api/types.js";
import type { EngineCli } from "./container-engine.js";

/** How often container state is polled while waiting for a sidecar to run. */
const STATE_POLL_MS = 100;

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

export interface SidecarWatch {
  cli: EngineCli;
  /** Engine container name. */
  name: string;
  /** True once the sidecar's attached CLI has exited (the sidecar ended or never started). */
  gone: () => boolean;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  /** Stops waiting (the pod is being destroyed). */
  signal: AbortSignal;
}

/**
 * Resolves when the sidecar is ready or gone. Probe periods are capped at 1 s so a local run does
 * not wait for nothing; `exec` probes run in the sidecar (`exec`), with `timeoutSeconds`
 * (default 1 s). `httpGet` and `tcpSocket` probes cannot reach a pod without network from the
 * host: they count as passed once the sidecar runs.
 */
export async function waitSidecarReady(w: SidecarWatch): Promise<void> {
  while (!w.gone() && !w.signal.aborted) {
    const s = await w.cli.containerState(w.name, w.signal);
    if (s !== undefined && s.status !== "created" && s.status !== "configured" && s.status !== "initialized")
      break;
    await sleep(STATE_POLL_MS, w.signal);
  }
  for (const probe of [w.startupProbe, w.readinessProbe]) {
    if (probe !== undefined) await waitProbe(w, probe);
  }
}

async function waitProbe(w: SidecarWatch, probe: Probe): Promise<void> {
  const argv = probe.exec?.command;
  if (argv === undefined || argv.length === 0) return;
  if ((probe.initialDelaySeconds ?? 0) > 0) await sleep(probe.initialDelaySeconds! * 1000, w.signal);
  const periodMs = Math.min(Math.max(probe.periodSeconds ?? 10, 0.1), 1) * 1000;
  const timeoutMs = Math.max(probe.timeoutSeconds ?? 1, 1) * 1000;
  while (!w.gone() && !w.signal.aborted) {
    const r = await w.cli.exec(
      ["exec", w.name, ...argv],
      AbortSignal.any([w.signal, AbortSignal.timeout(timeoutMs)]),
    );
    if (r.code === 0) return;
    await sleep(periodMs, w.signal);
  }
}
