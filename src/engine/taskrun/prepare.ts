/**
 * Everything between "this TaskRun should run now" and "start the pod": resolve the Task and its
 * StepActions, check the inputs, substitute variables, lay out the attempt directory, materialise
 * volumes and workspaces, and build the container plans.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import YAML from "yaml";
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
import type { EnvEntry, LogStream } from "../../executors/executor.js";
import { createPodLayout, stepStatusDir, type PodLayout } from "./pod-layout.js";
import { ResourceTypes, type Store } from "../../store/index.js";
import {
  applyVolumeClaimTemplates,
  inlineStepActions,
  resolveParams,
  substituteCredentialsPath,
  substitutePodTemplate,
  substituteStepArtifactsAtRuntime,
  substituteStepResultsAtRuntime,
  substituteTaskSpec,
  substituteWorkspaceBindings,
  workspaceVolumeNames,
  type PathRoots,
} from "../substitution/index.js";
import type { AttemptInput, PreparedStep } from "./attempt-types.js";
import { buildSidecarPlans, buildStepPlans } from "./containers.js";
import { credentialFiles, writeCredentialFiles } from "./creds.js";
import { applyDebugAndHermetic } from "./debug.js";
import type { ObjectLookup } from "./env.js";
import type { RemoteContent } from "./remote-refs.js";
import { FailureKind, RunPreparationError } from "./failure.js";
import { TektonPath, sidecarContainerName, stepNames } from "../../api/pod-paths.js";
import { resolveTask, validateArrayIndexes, validateParams, validateWorkspaces } from "./resolve.js";
import { forbiddenHostPathVolumes, hostPathForbiddenMessage, type RunLimits } from "./limits.js";
import { MAX_PROVENANCE_BYTES, readStepFile, resultReadLimit } from "./result-files.js";
import { retryCount } from "./status.js";
import { attemptDirFor } from "./attempt-dir.js";
import {
  materialiseVolume,
  materialiseWorkspace,
  safeName,
  type MaterialisedVolume,
  type MaterialisedWorkspace,
} from "./volumes.js";

export interface PrepareContext {
  store: Store;
  podName: string;
  dataDir: string;
  virtualPaths: boolean;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  onLog?: (container: string, stream: LogStream, chunk: Buffer) => void;
  /** What the operator allows (host paths) and the server's bounds. */
  limits: RunLimits;
  /** Continue an attempt an earlier process started: keep its directory (results, step files). */
  resume?: boolean;
  /** The Task and StepActions resolved remotely for this run. */
  remote?: RemoteContent;
}

export interface PreparedRun {
  taskName: string;
  inline: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The resolved, substituted spec for `status.taskSpec` (NOTES §4.6). */
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

function objectLookup(store: Store, ns: string): ObjectLookup {
  return {
    configMap: (name) => store.get<ConfigMap>(ResourceTypes.ConfigMap, ns, name),
    secret: (name) => store.get<Secret>(ResourceTypes.Secret, ns, name),
  };
}

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
  layout: PodLayout,
  spec: TaskSpec,
  workspaces: Map<string, MaterialisedWorkspace>,
): void {
  for (const d of spec.workspaces ?? []) {
    const ws = workspaces.get(d.name);
    if (ws === undefined || (d.mountPath && !d.mountPath.startsWith(`${TektonPath.Workspace}/`))) continue;
    const rel = d.mountPath ? d.mountPath.slice(TektonPath.Workspace.length + 1) : d.name;
    const link = join(layout.workspace, rel);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(ws.hostPath, link);
  }
}

export function prepareRun(tr: TaskRun, ctx: PrepareContext): PreparedRun {
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.metadata.name ?? "";
  const lookup = objectLookup(ctx.store, ns);
  const resolved = resolveTask(
    tr,
    {
      task: (n) => ctx.store.get<Task>(ResourceTypes.Task, ns, n),
      stepAction: (n) => ctx.store.get<StepAction>(ResourceTypes.StepAction, ns, n),
    },
    ctx.remote?.task?.task,
  );
  validateParams(resolved.taskName, resolved.spec.params, tr.spec.params, ctx.features);
  const params = resolveParams(resolved.spec.params, tr.spec.params, { propagate: resolved.inline });
  let spec = inlineStepActions(
    resolved.spec,
    (n, index) =>
      ctx.remote?.stepActions.get(index)?.action ??
      ctx.store.get<StepAction>(ResourceTypes.StepAction, ns, n),
    params,
  );
  const given = substituteWorkspaceBindings(tr.spec.workspaces ?? [], params);
  const ws = validateWorkspaces(spec.workspaces, given, resolved.inline, defaultBinding(ctx.defaults));
  if (ws.declarations.length > 0) spec = { ...spec, workspaces: ws.declarations };
  validateArrayIndexes(spec, params);
  checkRunLimits(tr, spec, ctx.limits);

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

  const attemptDir = attemptDirFor(ctx.dataDir, ns, ctx.podName);
  const stepDirs = (spec.steps ?? []).map((s, i) => stepNames(s.name, i).dirName);
  if (ctx.resume !== true) rmSync(attemptDir, { recursive: true, force: true }); // a previous run of the same name
  const layout = createPodLayout(attemptDir, stepDirs);
  const roots = ctx.virtualPaths ? undefined : hostRoots(layout);
  const execSpec = substituteCredentialsPath(
    ctx.virtualPaths ? statusSpec : substituteTaskSpec(spec, { ...base, paths: roots }),
    roots,
  );

  const dirs = { attemptDir, claimsDir: safeName(join(ctx.dataDir, "pvcs"), ns) };
  const volumeNames = workspaceVolumeNames(bindings);
  const workspaces = new Map<string, MaterialisedWorkspace>();
  for (const b of bindings) {
    const m = materialiseWorkspace(b, dirs, lookup);
    const volume = volumeNames.get(b.name);
    workspaces.set(b.name, volume !== undefined ? { ...m, volume } : m);
  }
  if (!ctx.virtualPaths) linkDefaultWorkspaceMounts(layout, execSpec, workspaces);
  const volumes = new Map<string, MaterialisedVolume>();
  const podTemplate = substitutePodTemplate(tr.spec.podTemplate, params);
  const allVolumes = [...(execSpec.volumes ?? []), ...(podTemplate?.volumes ?? [])];
  const forbidden = forbiddenHostPathVolumes(allVolumes, ctx.limits);
  if (forbidden.length > 0) {
    throw new RunPreparationError(
      FailureKind.PodCreation,
      `failed to create task run pod "${name}": ${hostPathForbiddenMessage(ctx.podName, forbidden)}. ${invalidTaskHint(ns, resolved)}`,
    );
  }
  for (const v of allVolumes) {
    if (!volumes.has(v.name)) volumes.set(v.name, materialiseVolume(v, dirs, lookup));
  }

  const containerCtx = {
    tr,
    spec: execSpec,
    layout,
    virtualPaths: ctx.virtualPaths,
    volumes,
    workspaces,
    declarations: execSpec.workspaces ?? [],
    lookup,
    logMaxBytes: ctx.limits.maxLogBytes,
    field: {
      podName: ctx.podName,
      namespace: ns,
      serviceAccountName: tr.spec.serviceAccountName ?? "default",
    },
  };
  const credentials = credentialFiles(serviceAccount(ctx.store, tr, resolved), (n) => lookup.secret(n));
  const podUser = tr.spec.podTemplate?.securityContext as
    { runAsUser?: number; runAsGroup?: number } | undefined;
  const stepPlans = buildStepPlans(containerCtx).map((p, i) => {
    if (credentials.size === 0) return p;
    // /tekton/creds is a per-step volume, written as the step's user (NOTES §5.1).
    const credsDir = join(layout.dir, "creds", String(i));
    const uid = p.securityContext?.runAsUser ?? podUser?.runAsUser;
    const gid = p.securityContext?.runAsGroup ?? podUser?.runAsGroup;
    writeCredentialFiles(credsDir, credentials, uid !== undefined ? { uid, gid: gid ?? uid } : undefined);
    return {
      ...p,
      credsHome: credsDir,
      mounts: [...p.mounts, { hostPath: credsDir, containerPath: TektonPath.Creds, readOnly: false }],
    };
  });
  const sidecarPlans = buildSidecarPlans(containerCtx);
  const debugged = applyDebugAndHermetic(tr, ctx.features, execSpec.steps ?? [], stepPlans, {
    podDir: attemptDir,
    virtualPaths: ctx.virtualPaths,
  });

  const steps: PreparedStep[] = (execSpec.steps ?? []).map((s, i) => {
    const names = stepNames(s.name, i);
    return {
      ...names,
      plan: debugged.plans[i]!,
      ...(debugged.infoDirs[i] !== undefined ? { debugInfoDir: debugged.infoDirs[i] } : {}),
      onError: s.onError === "continue" ? "continue" : "stopAndFail",
      results: s.results ?? [],
      ...(s.when ? { when: s.when } : {}),
      statusDir: stepStatusDir(layout, i),
      resolveAtRuntime: (plan, when) => runtimeSubstitution(layout, ctx.features, plan, when),
    };
  });
  const results = statusSpec.results ?? [];
  return {
    taskName: resolved.taskName,
    inline: resolved.inline,
    labels: resolved.labels,
    annotations: resolved.annotations,
    statusSpec,
    initialSteps: steps.map((s, i) => {
      const refSource = ctx.remote?.stepActions.get(i)?.refSource;
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
        name: ctx.podName,
        namespace: ns,
        dir: attemptDir,
        sidecars: sidecarPlans,
        ...(tr.spec.podTemplate?.securityContext
          ? { podSecurityContext: tr.spec.podTemplate.securityContext }
          : {}),
        ...(ctx.onLog ? { onLog: ctx.onLog } : {}),
      },
      steps,
      breakpointOnFailure: debugged.breakpointOnFailure,
      sidecarStatusNames: (execSpec.sidecars ?? []).map((sc) =>
        sidecarContainerName(sc.name).startsWith("sidecar-") ? sc.name : undefined,
      ),
      fileResults: results.filter((r) => r.value === undefined),
      resultsDir: layout.results,
    },
  };
}

/** The hint Tekton appends to a pod-creation failure. */
function invalidTaskHint(ns: string, resolved: { inline: boolean; taskName: string }): string {
  return resolved.inline
    ? "Maybe invalid TaskSpec"
    : `Maybe missing or invalid Task ${ns}/${resolved.taskName}`;
}

/** The server's bounds on steps and retries (Tekton has none; see {@link RunLimits}). */
function checkRunLimits(tr: TaskRun, spec: TaskSpec, limits: RunLimits): void {
  const steps = spec.steps?.length ?? 0;
  if (steps > limits.maxSteps) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `the Task has ${steps} steps, more than this server allows (${limits.maxSteps}; tektite --max-steps)`,
    );
  }
  const retries = tr.spec.retries ?? 0;
  if (retries > limits.maxRetries) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `spec.retries is ${retries}, more than this server allows (${limits.maxRetries}; tektite --max-retries)`,
    );
  }
}

/** The TaskRun's ServiceAccount; a missing one other than `default` fails the pod, as in Kubernetes. */
function serviceAccount(
  store: Store,
  tr: TaskRun,
  resolved: { inline: boolean; taskName: string },
): ServiceAccount | undefined {
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.spec.serviceAccountName || "default";
  const sa = store.get<ServiceAccount>(ResourceTypes.ServiceAccount, ns, name);
  if (sa === undefined && name !== "default") {
    const hint = invalidTaskHint(ns, resolved);
    throw new RunPreparationError(
      FailureKind.PodCreation,
      `failed to create task run pod "${tr.metadata.name ?? ""}": translating TaskSpec to Pod: serviceaccounts "${name}" not found. ${hint}`,
    );
  }
  return sa;
}

function defaultBinding(defaults: ConfigDefaults): WorkspaceBinding | undefined {
  return defaults.defaultTaskRunWorkspaceBinding
    ? (YAML.parse(defaults.defaultTaskRunWorkspaceBinding) as WorkspaceBinding)
    : undefined;
}

function runtimeSubstitution(
  layout: PodLayout,
  features: FeatureFlags,
  plan: PreparedStep["plan"],
  when: PreparedStep["when"],
) {
  const { step, warnings } = substituteStepResultsAtRuntime(
    { command: plan.command, args: plan.args, env: plan.env, when },
    (s, r) => readStepFile(layout, s, ["results", r], resultReadLimit(features)),
  );
  const next = { ...plan, args: step.args ?? [], env: step.env ?? [] };
  if (step.command !== undefined) next.command = step.command;
  const artifacts = substituteArtifacts(layout, next);
  return { plan: artifacts.plan, when: step.when, warnings: [...warnings, ...artifacts.warnings] };
}

/** `$(steps.<s>.inputs|outputs.<a>)` in the script file (rewritten in place) or command/args, and env. */
function substituteArtifacts(
  layout: PodLayout,
  plan: PreparedStep["plan"],
): { plan: PreparedStep["plan"]; warnings: string[] } {
  const scriptPath = scriptHostPath(layout, plan.command?.[0]);
  const script = scriptPath !== undefined ? readFileSync(scriptPath, "utf8") : undefined;
  const fields: { script?: string; command?: string[]; args?: string[]; env: EnvEntry[] } = { env: plan.env };
  if (script !== undefined) fields.script = script;
  else {
    if (plan.command !== undefined) fields.command = plan.command;
    fields.args = plan.args;
  }
  if (!JSON.stringify(fields).includes("$(steps.")) return { plan, warnings: [] };
  const { step, warnings } = substituteStepArtifactsAtRuntime(fields, (s) =>
    readStepFile(layout, s, ["artifacts", "provenance.json"], MAX_PROVENANCE_BYTES),
  );
  if (scriptPath !== undefined && step.script !== undefined && step.script !== script)
    writeFileSync(scriptPath, step.script);
  const next = { ...plan, env: step.env ?? plan.env };
  if (script === undefined) {
    if (step.command !== undefined) next.command = step.command;
    next.args = step.args ?? plan.args;
  }
  return { plan: next, warnings };
}

function scriptHostPath(layout: PodLayout, command0: string | undefined): string | undefined {
  if (command0 === undefined) return undefined;
  for (const root of [`${TektonPath.Scripts}/`, `${layout.scripts}/`]) {
    if (command0.startsWith(root)) return join(layout.scripts, command0.slice(root.length));
  }
  return undefined;
}
