/**
 * The plan of one TaskRun attempt, decided without touching the host: resolve the Task and its
 * StepActions, check the inputs, substitute variables, and build the container plans together
 * with the directories, files and links the attempt needs ({@link DiskEffect}s, applied by
 * `prepare.ts`).
 */
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import type {
  ConfigMap,
  Secret,
  ServiceAccount,
  StepAction,
  StepState,
  Task,
  TaskResult,
  TaskRun,
  TaskSpec,
  WorkspaceBinding,
} from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import { TektonPath, sidecarContainerName, stepNames } from "../../api/pod-paths.js";
import {
  applyVolumeClaimTemplates,
  inlineStepActions,
  resolveParams,
  substituteCredentialsPath,
  substitutePodTemplate,
  substituteTaskSpec,
  substituteWorkspaceBindings,
  workspaceVolumeNames,
  type PathRoots,
} from "../substitution/index.js";
import { attemptDirFor } from "./attempt-dir.js";
import type { AttemptInput, PreparedStep } from "./attempt-types.js";
import { buildSidecarPlans, buildStepPlans } from "./containers.js";
import { credentialFiles, writeCredentialFiles } from "./creds.js";
import { applyDebugAndHermetic } from "./debug.js";
import { DiskEffects, type DiskEffect } from "./disk-effects.js";
import { FailureKind, RunPreparationError } from "./failure.js";
import { forbiddenHostPathVolumes, hostPathForbiddenMessage, type RunLimits } from "./limits.js";
import { checkRunLimits, defaultBinding, invalidTaskHint, serviceAccountOf } from "./plan-checks.js";
import { planPodLayout, stepStatusDir, type PodLayout } from "./pod-layout.js";
import type { RemoteContent } from "./remote-refs.js";
import { resolveTask, validateArrayIndexes, validateParams, validateWorkspaces } from "./resolve.js";
import { podNameFor, retryCount } from "./status.js";
import {
  materialiseVolume,
  materialiseWorkspace,
  safeName,
  type MaterialisedVolume,
  type MaterialisedWorkspace,
} from "./volumes.js";
import { artifactsPathReferenced } from "./artifacts.js";

/** The objects of the TaskRun's namespace a plan may read. */
export interface RunObjects {
  task(name: string): Task | undefined;
  stepAction(name: string): StepAction | undefined;
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  serviceAccount(name: string): ServiceAccount | undefined;
}

export interface PlanInput {
  tr: TaskRun;
  objects: RunObjects;
  podName: string;
  dataDir: string;
  /** Steps see Tekton's container paths (a sandbox or container), not host paths. */
  virtualPaths: boolean;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  /** What the operator allows (host paths) and the server's bounds. */
  limits: RunLimits;
  /** Continue an attempt an earlier process started: keep its directory (results, step files). */
  resume?: boolean;
  /** The Task and StepActions resolved remotely for this run. */
  remote?: RemoteContent;
  /** Random lowercase hex of the given length, for generated script and claim names. */
  randomHex?: (chars: number) => string;
}

export interface PreparedRun {
  taskName: string;
  inline: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The resolved, substituted spec for `status.taskSpec` (docs/tekton-semantics.md#statustaskspec). */
  statusSpec: TaskSpec;
  initialSteps: StepState[];
  declaredResults: TaskResult[];
  /** Results declared with `value: $(steps…)`. */
  valueResults: TaskResult[];
  /** The attempt's directory and its task-level `$(artifacts.path)` file in it. */
  attemptDir: string;
  artifactsFile: string;
  attempt: Omit<AttemptInput, "executor" | "clock" | "features" | "signal" | "onProgress">;
}

/** A planned attempt: the run as the engine will execute it, and what to do to the host first. */
export interface RunPlan {
  run: PreparedRun;
  /** In order; none of them has happened yet. */
  effects: DiskEffect[];
  layout: PodLayout;
}

const cryptoHex = (chars: number): string =>
  randomBytes(Math.ceil(chars / 2))
    .toString("hex")
    .slice(0, chars);

function hostRoots(layout: PodLayout): PathRoots {
  return {
    results: layout.results,
    steps: layout.steps,
    workspace: layout.workspace,
    creds: join(layout.dir, "creds", "0"),
    artifacts: layout.artifacts,
  };
}

/**
 * Without a sandbox a step sees host paths: workspaces bound at the default `/workspace/<w>` are
 * reached through a link in the attempt's workspace directory.
 */
function linkDefaultWorkspaceMounts(
  fx: DiskEffects,
  layout: PodLayout,
  spec: TaskSpec,
  workspaces: Map<string, MaterialisedWorkspace>,
): void {
  for (const d of spec.workspaces ?? []) {
    const ws = workspaces.get(d.name);
    if (ws === undefined || (d.mountPath && !d.mountPath.startsWith(`${TektonPath.Workspace}/`))) continue;
    const rel = d.mountPath ? d.mountPath.slice(TektonPath.Workspace.length + 1) : d.name;
    const link = join(layout.workspace, rel);
    fx.mkdir(dirname(link));
    fx.symlink(ws.hostPath, link, { keepExisting: false });
  }
}

/** Plans one attempt of `input.tr`. Throws a typed preparation error for a run that cannot start. */
export function planRun(input: PlanInput): RunPlan {
  const { tr, objects } = input;
  const randomHex = input.randomHex ?? cryptoHex;
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.metadata.name ?? "";
  const resolved = resolveTask(tr, objects, input.remote?.task?.task);
  validateParams(resolved.taskName, resolved.spec.params, tr.spec.params, input.features);
  const params = resolveParams(resolved.spec.params, tr.spec.params, { propagate: resolved.inline });
  let spec = inlineStepActions(
    resolved.spec,
    (n, index) => input.remote?.stepActions.get(index)?.action ?? objects.stepAction(n),
    params,
  );
  const given = substituteWorkspaceBindings(tr.spec.workspaces ?? [], params);
  const ws = validateWorkspaces(spec.workspaces, given, resolved.inline, defaultBinding(input.defaults));
  if (ws.declarations.length > 0) spec = { ...spec, workspaces: ws.declarations };
  validateArrayIndexes(spec, params);
  checkRunLimits(tr, spec, input.limits);

  const uid = tr.metadata.uid ?? "";
  const bindings: WorkspaceBinding[] = applyVolumeClaimTemplates(ws.bindings, uid);
  const base = {
    params,
    taskRun: { name, namespace: ns, uid },
    taskName: resolved.taskName,
    retryCount: retryCount(tr.status),
    workspaces: bindings,
  };
  const statusSpec = substituteTaskSpec(spec, base);

  const fx = new DiskEffects();
  const attemptDir = attemptDirFor(input.dataDir, ns, input.podName);
  const stepDirs = (spec.steps ?? []).map((s, i) => stepNames(s.name, i).dirName);
  if (input.resume !== true) fx.removeTree(attemptDir); // a previous run of the same name
  const layout = planPodLayout(fx, attemptDir, stepDirs);
  const roots = input.virtualPaths ? undefined : hostRoots(layout);
  const execSpec = substituteCredentialsPath(
    input.virtualPaths ? statusSpec : substituteTaskSpec(spec, { ...base, paths: roots }),
    roots,
  );

  const dirs = {
    attemptDir,
    claimsDir: safeName(join(input.dataDir, "pvcs"), ns),
    runClaims: { dir: join(attemptDirFor(input.dataDir, ns, podNameFor(name, 0)), "claims"), ownerUid: uid },
  };
  const volumeNames = workspaceVolumeNames(bindings);
  const workspaces = new Map<string, MaterialisedWorkspace>();
  // From the bindings as given: a volumeClaimTemplate's claim lives with the TaskRun that owns it.
  for (const b of ws.bindings) {
    const m = materialiseWorkspace(fx, b, dirs, objects);
    const volume = volumeNames.get(b.name);
    workspaces.set(b.name, volume !== undefined ? { ...m, volume } : m);
  }
  if (!input.virtualPaths) linkDefaultWorkspaceMounts(fx, layout, execSpec, workspaces);
  const volumes = new Map<string, MaterialisedVolume>();
  const podTemplate = substitutePodTemplate(tr.spec.podTemplate, params);
  const allVolumes = [...(execSpec.volumes ?? []), ...(podTemplate?.volumes ?? [])];
  const forbidden = forbiddenHostPathVolumes(allVolumes, input.limits);
  if (forbidden.length > 0) {
    throw new RunPreparationError(
      FailureKind.PodCreation,
      `failed to create task run pod "${name}": ${hostPathForbiddenMessage(input.podName, forbidden)}. ${invalidTaskHint(ns, resolved)}`,
    );
  }
  for (const v of allVolumes) {
    if (!volumes.has(v.name)) volumes.set(v.name, materialiseVolume(fx, v, dirs, objects));
  }

  const containerCtx = {
    tr,
    spec: execSpec,
    layout,
    virtualPaths: input.virtualPaths,
    volumes,
    workspaces,
    declarations: execSpec.workspaces ?? [],
    lookup: objects,
    logMaxBytes: input.limits.maxLogBytes,
    field: {
      podName: input.podName,
      namespace: ns,
      serviceAccountName: tr.spec.serviceAccountName ?? "default",
    },
    fx,
    randomHex,
  };
  const sa = serviceAccountOf((n) => objects.serviceAccount(n), tr, resolved);
  const credentials = credentialFiles(sa, (n) => objects.secret(n));
  const podUser = tr.spec.podTemplate?.securityContext as
    { runAsUser?: number; runAsGroup?: number } | undefined;
  const stepPlans = buildStepPlans(containerCtx).map((p, i) => {
    if (credentials.size === 0) return p;
    // /tekton/creds is a per-step volume, written as the step's user (docs/tekton-semantics.md#pod-layout).
    const credsDir = join(layout.dir, "creds", String(i));
    const uid = p.securityContext?.runAsUser ?? podUser?.runAsUser;
    const gid = p.securityContext?.runAsGroup ?? podUser?.runAsGroup;
    writeCredentialFiles(fx, credsDir, credentials, uid !== undefined ? { uid, gid: gid ?? uid } : undefined);
    return {
      ...p,
      credsHome: credsDir,
      mounts: [...p.mounts, { hostPath: credsDir, containerPath: TektonPath.Creds, readOnly: false }],
    };
  });
  const sidecarPlans = buildSidecarPlans(containerCtx);
  const debugged = applyDebugAndHermetic(tr, input.features, execSpec.steps ?? [], stepPlans, {
    podDir: attemptDir,
    virtualPaths: input.virtualPaths,
    fx,
  });

  const steps: PreparedStep[] = (execSpec.steps ?? []).map((s, i) => ({
    ...stepNames(s.name, i),
    plan: debugged.plans[i]!,
    ...(debugged.infoDirs[i] !== undefined ? { debugInfoDir: debugged.infoDirs[i] } : {}),
    onError: s.onError === "continue" ? "continue" : "stopAndFail",
    results: s.results ?? [],
    ...(s.when ? { when: s.when } : {}),
    statusDir: stepStatusDir(layout, i),
  }));
  const results = statusSpec.results ?? [];
  const run: PreparedRun = {
    taskName: resolved.taskName,
    inline: resolved.inline,
    labels: resolved.labels,
    annotations: resolved.annotations,
    statusSpec,
    initialSteps: steps.map((s, i) => {
      const refSource = input.remote?.stepActions.get(i)?.refSource;
      return {
        name: s.statusName,
        container: s.container,
        ...(refSource ? { provenance: { refSource } } : {}),
      };
    }),
    declaredResults: results,
    valueResults: results.filter((r) => r.value !== undefined),
    attemptDir,
    artifactsFile: join(layout.artifacts, "provenance.json"),
    attempt: {
      taskRunName: name,
      pod: {
        name: input.podName,
        namespace: ns,
        dir: attemptDir,
        sidecars: sidecarPlans,
        ...(tr.spec.podTemplate?.securityContext
          ? { podSecurityContext: tr.spec.podTemplate.securityContext }
          : {}),
      },
      steps,
      breakpointOnFailure: debugged.breakpointOnFailure,
      sidecarStatusNames: (execSpec.sidecars ?? []).map((sc) =>
        sidecarContainerName(sc.name).startsWith("sidecar-") ? sc.name : undefined,
      ),
      resultsSidecar:
        input.features.resultsFrom === "sidecar-logs" &&
        (execSpec.results !== undefined || artifactsPathReferenced(execSpec.steps ?? [])),
      fileResults: results.filter((r) => r.value === undefined),
      resultsDir: layout.results,
    },
  };
  return { run, effects: fx.list, layout };
}
