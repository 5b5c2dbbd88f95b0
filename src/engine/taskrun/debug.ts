/**
 * `spec.debug` (alpha) and hermetic execution: what Tekton's pod builder adds to a TaskRun's
 * steps for them (pkg/pod: the debug scripts and info volumes, the entrypoint's breakpoint flags,
 * `TEKTON_HERMETIC`).
 *
 * ```
 * <dir>/debug/scripts/debug-*     /tekton/debug/scripts   (RO, every step)
 * <dir>/debug/info/<i>/           /tekton/debug/info/<i>  (step i only)
 * ```
 *
 * The scripts find their step number as the highest-numbered entry of the info directory: inside
 * a container only the step's own `/tekton/debug/info/<i>` is there; without a sandbox (host
 * paths) each step's directory is made when the step starts, so the latest one is the running
 * step's.
 */
import { join } from "node:path";
import { ApiFields, type FeatureFlags } from "../../config/features.js";
import type { EnvEntry, Mount, StepBreakpoints } from "../../executors/executor.js";
import { TektonPath } from "../../api/pod-paths.js";
import type { TaskRun } from "../../api/types.js";
import type { DiskEffects } from "./disk-effects.js";

/** The annotation and value that ask for hermetic execution, and the env var Tekton then sets. */
export const Hermetic = {
  Annotation: "experimental.tekton.dev/execution-mode",
  Value: "hermetic",
  Env: "TEKTON_HERMETIC",
} as const;

/** A TaskRun's breakpoints; undefined when it needs no debugging (or the alpha gate is off). */
export interface DebugConfig {
  onFailure: boolean;
  beforeSteps: ReadonlySet<string>;
}

const alpha = (features: FeatureFlags): boolean => features.enableApiFields === ApiFields.Alpha;

/** `TaskRunDebug.NeedsDebug`, honoured only with `enable-api-fields: alpha` as Tekton does. */
export function debugConfig(tr: TaskRun, features: FeatureFlags): DebugConfig | undefined {
  const bp = tr.spec.debug?.breakpoints;
  if (!alpha(features) || bp === undefined || bp === null) return undefined;
  const onFailure = bp.onFailure === "enabled";
  const beforeSteps = new Set(bp.beforeSteps ?? []);
  return onFailure || beforeSteps.size > 0 ? { onFailure, beforeSteps } : undefined;
}

/** Whether the TaskRun asks for hermetic execution (annotation, alpha gate). */
export function isHermetic(tr: TaskRun, features: FeatureFlags): boolean {
  return alpha(features) && tr.metadata.annotations?.[Hermetic.Annotation] === Hermetic.Value;
}

/** `TEKTON_HERMETIC=1`, appended after the step's own env so it wins. */
export function hermeticEnv(env: EnvEntry[]): EnvEntry[] {
  return [...env, { name: Hermetic.Env, value: "1" }];
}

/** Where the debug files are, as steps see them and on the host. */
export interface DebugLayout {
  hostScripts: string;
  hostInfo: string;
  /** Paths written into the scripts and messages: Tekton's, or host paths without a sandbox. */
  scripts: string;
  info: string;
  run: string;
}

export function debugLayout(podDir: string, virtualPaths: boolean): DebugLayout {
  const hostScripts = join(podDir, "debug", "scripts");
  const hostInfo = join(podDir, "debug", "info");
  return virtualPaths
    ? {
        hostScripts,
        hostInfo,
        scripts: TektonPath.DebugScripts,
        info: TektonPath.DebugInfo,
        run: TektonPath.Run,
      }
    : { hostScripts, hostInfo, scripts: hostScripts, info: hostInfo, run: join(podDir, "run") };
}

/** One debug script: which marker file it writes for the current step, and with what. */
interface DebugScript {
  name: string;
  /** Files touched empty, relative to the step's run directory. */
  touch: string[];
  /** File written, relative to the step's run directory, and its content. */
  write: [string, string];
  exitingWhat: string;
}

const SCRIPTS: Record<"onFailure" | "beforeStep", DebugScript[]> = {
  onFailure: [
    { name: "debug-continue", touch: ["out"], write: ["out.breakpointexit", "0"], exitingWhat: "breakpoint" },
    {
      name: "debug-fail-continue",
      touch: ["out.err"],
      write: ["out.breakpointexit", "1"],
      exitingWhat: "breakpoint",
    },
  ],
  beforeStep: [
    {
      name: "debug-beforestep-continue",
      touch: [],
      write: ["out.beforestepexit", "0"],
      exitingWhat: "before step breakpoint",
    },
    {
      name: "debug-beforestep-fail-continue",
      touch: [],
      write: ["out.beforestepexit.err", "1"],
      exitingWhat: "before step breakpoint",
    },
  ],
};

function scriptText(s: DebugScript, stepCount: number, paths: DebugLayout): string {
  const lines = [
    "#!/bin/sh",
    "set -e",
    `steps=${stepCount}`,
    `info='${paths.info}'`,
    `run='${paths.run}'`,
    `step="$(ls "$info" | grep -E '^[0-9]+$' | sort -n | tail -1)"`,
    `if [ -n "$step" ] && [ "$step" -lt "$steps" ]; then`,
    ...s.touch.map((f) => `  touch "$run/$step/${f}"`),
    `  echo "${s.write[1]}" > "$run/$step/${s.write[0]}"`,
    `  echo "Executing step $step..."`,
    "else",
    `  echo "Last step (no. $step) has already been executed, ${s.exitingWhat} exiting !"`,
    "fi",
    "",
  ];
  return lines.join("\n");
}

/** Records the scripts the TaskRun's breakpoints need (Tekton writes only those). */
export function writeDebugScripts(
  fx: DiskEffects,
  debug: DebugConfig,
  stepNames: readonly string[],
  paths: DebugLayout,
): void {
  fx.mkdir(paths.hostScripts);
  fx.mkdir(paths.hostInfo);
  const wanted = [
    ...(debug.onFailure ? SCRIPTS.onFailure : []),
    ...(stepNames.some((n) => debug.beforeSteps.has(n)) ? SCRIPTS.beforeStep : []),
  ];
  for (const s of wanted) {
    const file = join(paths.hostScripts, s.name);
    fx.writeFile(file, scriptText(s, stepNames.length, paths), { chmod: 0o755 });
  }
}

/** The debug mounts of step `i`: the scripts (RO) and its own info directory. */
export function debugMounts(paths: DebugLayout, i: number): Mount[] {
  return [
    { hostPath: paths.hostScripts, containerPath: TektonPath.DebugScripts, readOnly: true },
    {
      hostPath: join(paths.hostInfo, String(i)),
      containerPath: `${TektonPath.DebugInfo}/${i}`,
      readOnly: false,
    },
  ];
}

/** The breakpoints of step `i` named `name` (its plain step name, as `beforeSteps` lists it). */
export function stepBreakpoints(
  debug: DebugConfig,
  name: string | undefined,
  i: number,
  paths: DebugLayout,
): StepBreakpoints {
  return {
    onFailure: debug.onFailure,
    beforeStep: name !== undefined && debug.beforeSteps.has(name),
    runDir: `${paths.run}/${i}`,
    scriptsDir: paths.scripts,
  };
}

/** Step plans with the TaskRun's debug and hermetic settings applied. */
export interface DebuggedSteps<P> {
  plans: P[];
  /** Host directory of `/tekton/debug/info/<i>` per step, made when the step starts. */
  infoDirs: Array<string | undefined>;
  /** The onFailure breakpoint: a failed step does not skip the next ones. */
  breakpointOnFailure: boolean;
}

/** Applies `spec.debug` (scripts, mounts, breakpoints) and hermetic mode to the step plans. */
export function applyDebugAndHermetic<
  P extends { env: EnvEntry[]; mounts: Mount[]; breakpoints?: StepBreakpoints; hermetic?: boolean },
>(
  tr: TaskRun,
  features: FeatureFlags,
  steps: ReadonlyArray<{ name?: string }>,
  plans: P[],
  where: { podDir: string; virtualPaths: boolean; fx: DiskEffects },
): DebuggedSteps<P> {
  const debug = debugConfig(tr, features);
  const hermetic = isHermetic(tr, features);
  const paths = debugLayout(where.podDir, where.virtualPaths);
  if (debug !== undefined)
    writeDebugScripts(
      where.fx,
      debug,
      steps.map((s) => s.name ?? ""),
      paths,
    );
  const out = plans.map((plan, i) => {
    let p = plan;
    if (debug !== undefined) {
      p = {
        ...p,
        mounts: [...p.mounts, ...debugMounts(paths, i)],
        breakpoints: stepBreakpoints(debug, steps[i]?.name, i, paths),
      };
    }
    if (hermetic) p = { ...p, env: hermeticEnv(p.env), hermetic: true };
    return p;
  });
  return {
    plans: out,
    infoDirs: plans.map((_, i) => (debug !== undefined ? join(paths.hostInfo, String(i)) : undefined)),
    breakpointOnFailure: debug?.onFailure === true,
  };
}
