/**
 * The host directory of one TaskRun attempt, laid out like Tekton's pod (docs/tekton-semantics.md#pod-layout), and the
 * implicit mounts that show it to each step at Tekton's container paths.
 *
 * ```
 * <dir>/workspace        /workspace            (0777, steps only)
 * <dir>/home             /tekton/home
 * <dir>/results          /tekton/results
 * <dir>/steps/           /tekton/steps         (RO; symlinks step-<name> and <i> → ../run/<i>/status)
 * <dir>/run/<i>/         /tekton/run/<i>       (RW for step i, RO for the others)
 *           status/{results,artifacts}/
 * <dir>/scripts          /tekton/scripts       (RO)
 * <dir>/artifacts        /tekton/artifacts
 * <dir>/volumes/<name>   emptyDir volumes
 * <dir>/logs/<container>.log
 * <dir>/rootfs/          absolute working dirs of unsandboxed host steps that lie outside every mount
 * ```
 *
 * The symlinks are relative so they resolve both on the host and inside a container, where
 * `/tekton/steps` and `/tekton/run` are siblings.
 */
import { join } from "node:path";
import { TektonPath } from "../../api/pod-paths.js";
import type { Mount } from "../../executors/executor.js";
import { cleanPath } from "../../executors/mounts.js";
import { applyDiskEffects } from "./apply-effects.js";
import { DiskEffects } from "./disk-effects.js";

/** Host paths of an attempt's directories. */
export interface PodLayout {
  dir: string;
  workspace: string;
  home: string;
  results: string;
  steps: string;
  /** `<dir>/run/<i>` for each step, in step order. */
  run: string[];
  scripts: string;
  artifacts: string;
  volumes: string;
  logs: string;
  rootfs: string;
}

/**
 * Records the attempt directory tree for steps whose directory names (`step-<name>`,
 * `step-unnamed-<i>`, untruncated: see `api/pod-paths.ts`) are given in order. Idempotent once
 * applied: an existing layout is left as it is.
 */
export function planPodLayout(fx: DiskEffects, dir: string, stepDirNames: string[]): PodLayout {
  const layout: PodLayout = {
    dir,
    workspace: join(dir, "workspace"),
    home: join(dir, "home"),
    results: join(dir, "results"),
    steps: join(dir, "steps"),
    run: stepDirNames.map((_, i) => join(dir, "run", String(i))),
    scripts: join(dir, "scripts"),
    artifacts: join(dir, "artifacts"),
    volumes: join(dir, "volumes"),
    logs: join(dir, "logs"),
    rootfs: join(dir, "rootfs"),
  };
  for (const d of [
    layout.home,
    layout.results,
    layout.steps,
    layout.scripts,
    layout.artifacts,
    layout.volumes,
    layout.logs,
  ]) {
    fx.mkdir(d);
  }
  fx.mkdir(layout.workspace, { chmod: 0o777 }); // an emptyDir is world-writable
  fx.mkdir(join(dir, "run"));
  const made = { parentMade: true };
  for (const [i, name] of stepDirNames.entries()) {
    const status = join(fx.mkdir(layout.run[i]!, made), "status");
    fx.mkdir(status, made);
    fx.mkdir(join(status, "results"), made);
    fx.mkdir(join(status, "artifacts"), made);
    const target = `../run/${i}/status`;
    fx.symlink(target, join(layout.steps, name), { keepExisting: true });
    fx.symlink(target, join(layout.steps, String(i)), { keepExisting: true });
  }
  return layout;
}

/** {@link planPodLayout}, applied at once. */
export function createPodLayout(dir: string, stepDirNames: string[]): PodLayout {
  const fx = new DiskEffects();
  const layout = planPodLayout(fx, dir, stepDirNames);
  applyDiskEffects(fx.list);
  return layout;
}

/** Host file that receives a container's stdout and stderr. */
export function containerLogPath(layout: PodLayout, container: string): string {
  return join(layout.logs, `${container}.log`);
}

/** Host directory `<dir>/run/<i>/status` (`/tekton/run/<i>/status`). */
export function stepStatusDir(layout: PodLayout, stepIndex: number): string {
  return join(layout.dir, "run", String(stepIndex), "status");
}

/**
 * Tekton's implicit step mounts (docs/tekton-semantics.md#pod-layout) for step `stepIndex`: `/workspace`, `/tekton/home`,
 * `/tekton/results`, `/tekton/steps` (RO), `/tekton/run` (RO) with `/tekton/run/<stepIndex>` (RW), `/tekton/scripts` (RO) and `/tekton/artifacts`. A path the step already mounts
 * (`userMountPaths`, compared after cleaning) is skipped so the user's volume wins.
 */
export function implicitStepMounts(layout: PodLayout, stepIndex: number, userMountPaths: string[]): Mount[] {
  const taken = new Set(userMountPaths.map(cleanPath));
  const all: Mount[] = [
    { hostPath: layout.workspace, containerPath: TektonPath.Workspace, readOnly: false },
    { hostPath: layout.home, containerPath: TektonPath.Home, readOnly: false },
    { hostPath: layout.results, containerPath: TektonPath.Results, readOnly: false },
    { hostPath: layout.steps, containerPath: TektonPath.Steps, readOnly: true },
    // One read-only bind of every step's directory and the step's own one writable on top: the
    // mounts per step stay constant however many steps the Task has.
    { hostPath: join(layout.dir, "run"), containerPath: TektonPath.Run, readOnly: true },
    ...(layout.run[stepIndex] !== undefined
      ? [
          {
            hostPath: layout.run[stepIndex],
            containerPath: `${TektonPath.Run}/${stepIndex}`,
            readOnly: false,
          },
        ]
      : []),
    { hostPath: layout.scripts, containerPath: TektonPath.Scripts, readOnly: true },
    { hostPath: layout.artifacts, containerPath: TektonPath.Artifacts, readOnly: false },
  ];
  return all.filter((m) => !taken.has(m.containerPath));
}

/** The `/tekton/scripts` mount (RO) a sidecar with a `script` needs; sidecars get no other implicit mount. */
export function sidecarScriptsMount(layout: PodLayout): Mount {
  return { hostPath: layout.scripts, containerPath: TektonPath.Scripts, readOnly: true };
}
