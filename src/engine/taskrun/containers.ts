/**
 * Turns the substituted TaskSpec into container plans for the executor, as Tekton's pod builder
 * does: stepTemplate merge, scripts, env, resources and stepSpecs overrides, volume and workspace
 * mounts (with per-container isolation) and the implicit internal mounts (docs/tekton-semantics.md#pod-layout, #step-command).
 */
import { join, posix } from "node:path";
import type {
  ResourceRequirements,
  Sidecar,
  Step,
  TaskRun,
  TaskSpec,
  VolumeMount,
  WorkspaceDeclaration,
  WorkspaceUsage,
} from "../../api/types.js";
import { durationToMs, parseGoDuration } from "../../api/duration.js";
import type { EnvEntry, Mount, OutputFile, SidecarPlan, StepPlan } from "../../executors/executor.js";
import { outputFileFor } from "../../executors/mounts.js";
import { implicitStepMounts, sidecarScriptsMount, type PodLayout } from "./pod-layout.js";
import { expandKubernetesList, mergeStepTemplate } from "../substitution/index.js";
import { buildEnv, type FieldContext, type ObjectLookup } from "./env.js";
import { TektonPath, sidecarContainerName, stepNames } from "../../api/pod-paths.js";
import type { DiskEffects } from "./disk-effects.js";
import { writeScript } from "./script.js";
import { safeJoin, type MaterialisedVolume, type MaterialisedWorkspace } from "./volumes.js";
import { ContainerConfigError } from "./env.js";

export interface ContainerContext {
  tr: TaskRun;
  spec: TaskSpec;
  layout: PodLayout;
  virtualPaths: boolean;
  volumes: Map<string, MaterialisedVolume>;
  workspaces: Map<string, MaterialisedWorkspace>;
  /** Declared workspaces (with propagated ones), for mount paths and readOnly. */
  declarations: WorkspaceDeclaration[];
  lookup: ObjectLookup;
  field: FieldContext;
  /** Bound on each container's log kept on disk (the newest kept). */
  logMaxBytes: number;
  /** Where the script files are recorded. */
  fx: DiskEffects;
  randomHex: (chars: number) => string;
}

const clean = (p: string): string => posix.normalize(p).replace(/(.)\/$/, "$1");

/** Workspaces used by name in some container's `workspaces:` are isolated to those containers. */
function isolatedWorkspaces(spec: TaskSpec): Set<string> {
  const names = new Set<string>();
  for (const c of [...(spec.steps ?? []), ...(spec.sidecars ?? [])])
    for (const w of c.workspaces ?? []) names.add(w.name);
  return names;
}

function workspaceMounts(
  ctx: ContainerContext,
  usages: WorkspaceUsage[] | undefined,
  existing: Set<string>,
): Mount[] {
  const isolated = isolatedWorkspaces(ctx.spec);
  const used = new Map((usages ?? []).map((u) => [u.name, u]));
  const mounts: Mount[] = [];
  for (const d of ctx.declarations) {
    const ws = ctx.workspaces.get(d.name);
    if (ws === undefined) continue;
    if (isolated.has(d.name) && !used.has(d.name)) continue;
    const path = clean(used.get(d.name)?.mountPath || d.mountPath || `${TektonPath.Workspace}/${d.name}`);
    if (existing.has(path)) continue;
    mounts.push({ hostPath: ws.hostPath, containerPath: path, readOnly: ws.readOnly || d.readOnly === true });
    existing.add(path);
  }
  return mounts;
}

function volumeMounts(ctx: ContainerContext, vms: VolumeMount[] | undefined, who: string): Mount[] {
  return (vms ?? []).map((vm) => {
    const vol = ctx.volumes.get(vm.name) ?? workspaceVolume(ctx, vm.name);
    if (vol === undefined) {
      throw new ContainerConfigError(`volumeMount "${vm.name}" of ${who} does not match any volume`, who);
    }
    const host = vm.subPath ? safeJoin(vol.hostPath, vm.subPath) : vol.hostPath;
    return {
      hostPath: host,
      containerPath: clean(vm.mountPath),
      readOnly: vol.readOnly || vm.readOnly === true,
    };
  });
}

/** A step may mount a workspace by its generated volume name (`$(workspaces.w.volume)`). */
function workspaceVolume(ctx: ContainerContext, volumeName: string): MaterialisedVolume | undefined {
  for (const [name, ws] of ctx.workspaces) if (ws.volume === volumeName || name === volumeName) return ws;
  return undefined;
}

function resourcesFor(
  ctx: ContainerContext,
  kind: "step" | "sidecar",
  name: string | undefined,
  own: ResourceRequirements | undefined,
): ResourceRequirements | undefined {
  const overrides = kind === "step" ? ctx.tr.spec.stepSpecs : ctx.tr.spec.sidecarSpecs;
  const o = overrides?.find((s) => s.name === name);
  if (o?.computeResources) return o.computeResources;
  if (kind === "step" && ctx.tr.spec.computeResources) return ctx.tr.spec.computeResources;
  return own;
}

function scriptCommand(
  ctx: ContainerContext,
  kind: "step" | "sidecar",
  index: number,
  script: string,
): string[] {
  const file = writeScript(ctx.fx, ctx.layout.scripts, kind, index, script, ctx.randomHex);
  return [ctx.virtualPaths ? `${TektonPath.Scripts}/${file}` : join(ctx.layout.scripts, file)];
}

/** Kubernetes expands `$(VAR)` in command and args from the container's final env. */
function expand(command: string[] | undefined, args: string[] | undefined, env: EnvEntry[]) {
  const vars = new Map(env.map((e) => [e.name, e.value]));
  return { command: expandKubernetesList(command, vars), args: expandKubernetesList(args, vars), env };
}

function toStepPlan(ctx: ContainerContext, step: Step, index: number): StepPlan {
  const { container } = stepNames(step.name, index);
  const who = `step "${step.name ?? `unnamed-${index}`}"`;
  const merged = mergeStepTemplate(ctx.spec.stepTemplate, step);
  const env = buildEnv(merged.envFrom, merged.env, ctx.tr.spec.podTemplate?.env, ctx.lookup, ctx.field, who);
  const user = volumeMounts(ctx, merged.volumeMounts, who);
  const taken = new Set(user.map((m) => m.containerPath));
  const ws = workspaceMounts(ctx, merged.workspaces, taken);
  const implicit = implicitStepMounts(ctx.layout, index, [...taken]);
  const mounts = [...user, ...ws, ...implicit];
  const expanded = expand(merged.command, merged.args, env);
  const command =
    merged.script !== undefined ? scriptCommand(ctx, "step", index, merged.script) : expanded.command;
  const resources = resourcesFor(ctx, "step", step.name, merged.computeResources ?? merged.resources);
  const timeoutMs = step.timeout ? durationToMs(parseGoDuration(step.timeout)) : 0;
  const outputFile = (path: string | undefined, field: OutputFile["field"]): OutputFile | undefined =>
    path ? outputFileFor(mounts, path, field, !ctx.virtualPaths) : undefined;
  const stdoutFile = outputFile(step.stdoutConfig?.path, "stdoutConfig.path");
  const stderrFile = outputFile(step.stderrConfig?.path, "stderrConfig.path");
  return {
    name: container,
    image: merged.image ?? "",
    ...(merged.imagePullPolicy ? { imagePullPolicy: merged.imagePullPolicy } : {}),
    ...(command !== undefined ? { command } : {}),
    args: expanded.args ?? [],
    env: expanded.env,
    ...(merged.workingDir ? { workingDir: merged.workingDir } : {}),
    mounts,
    ...(merged.securityContext ? { securityContext: merged.securityContext } : {}),
    ...(resources ? { resources } : {}),
    logPath: join(ctx.layout.logs, `${container}.log`),
    logMaxBytes: ctx.logMaxBytes,
    ...(stdoutFile ? { stdoutFile } : {}),
    ...(stderrFile ? { stderrFile } : {}),
    ...(timeoutMs > 0 ? { timeoutMs } : {}),
  };
}

function toSidecarPlan(ctx: ContainerContext, sc: Sidecar, index: number): SidecarPlan {
  const name = sidecarContainerName(sc.name);
  const who = `sidecar "${sc.name ?? ""}"`;
  const env = buildEnv(sc.envFrom, sc.env, ctx.tr.spec.podTemplate?.env, ctx.lookup, ctx.field, who);
  const user = volumeMounts(ctx, sc.volumeMounts, who);
  const taken = new Set(user.map((m) => m.containerPath));
  const ws = workspaceMounts(ctx, sc.workspaces, taken);
  const scripts = sc.script !== undefined ? [sidecarScriptsMount(ctx.layout)] : [];
  const expanded = expand(sc.command, sc.args, env);
  const command =
    sc.script !== undefined ? scriptCommand(ctx, "sidecar", index, sc.script) : expanded.command;
  const resources = resourcesFor(ctx, "sidecar", sc.name, sc.computeResources ?? sc.resources);
  return {
    name,
    image: sc.image ?? "",
    ...(sc.imagePullPolicy ? { imagePullPolicy: sc.imagePullPolicy } : {}),
    ...(command !== undefined ? { command } : {}),
    args: expanded.args ?? [],
    env: expanded.env,
    ...(sc.workingDir ? { workingDir: sc.workingDir } : {}),
    mounts: [...user, ...ws, ...scripts],
    ...(sc.securityContext ? { securityContext: sc.securityContext } : {}),
    ...(resources ? { resources } : {}),
    logPath: join(ctx.layout.logs, `${name}.log`),
    logMaxBytes: ctx.logMaxBytes,
    ...(sc.readinessProbe ? { readinessProbe: sc.readinessProbe } : {}),
    ...(sc.startupProbe ? { startupProbe: sc.startupProbe } : {}),
  };
}

export function buildStepPlans(ctx: ContainerContext): StepPlan[] {
  return (ctx.spec.steps ?? []).map((s, i) => toStepPlan(ctx, s, i));
}

export function buildSidecarPlans(ctx: ContainerContext): SidecarPlan[] {
  return (ctx.spec.sidecars ?? []).map((s, i) => toSidecarPlan(ctx, s, i));
}
