/**
 * Where Tekton's well-known directories live. Inside a container these are Tekton's own paths;
 * an executor without a sandbox maps them to host directories instead.
 */
import { posix } from "node:path";
import { TektonPath } from "../../api/pod-paths.js";

/** Roots of the directories that path variables point into. */
export interface PathRoots {
  /** Task results: `$(results.<r>.path)` → `<results>/<r>`. */
  results: string;
  /** Per-step directories: `$(step.results.<r>.path)`, `exitCode.path`, step artifacts. */
  steps: string;
  /** Default workspace mounts: `$(workspaces.<w>.path)` → `<workspace>/<w>` without a mountPath. */
  workspace: string;
  /** `$(credentials.path)`. */
  creds: string;
  /** Task artifacts: `$(artifacts.path)` → `<artifacts>/provenance.json`. */
  artifacts: string;
}

/** The roots inside a step container: Tekton's own paths. */
export const TEKTON_PATHS: Readonly<PathRoots> = Object.freeze({
  results: TektonPath.Results,
  steps: TektonPath.Steps,
  workspace: TektonPath.Workspace,
  creds: TektonPath.Creds,
  artifacts: TektonPath.Artifacts,
});

/** Tekton's roots overridden by the given ones. */
export function pathRoots(paths: Partial<PathRoots> | undefined): PathRoots {
  return { ...TEKTON_PATHS, ...paths };
}

/** Joins and cleans like Go's `filepath.Join` on Linux. */
export function joinPath(...parts: string[]): string {
  return posix.join(...parts);
}
