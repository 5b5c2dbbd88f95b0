/**
 * Everything between "this TaskRun should run now" and "start the pod": the attempt is planned
 * without touching the host (`plan.ts`), its directories, files and links are made
 * (`apply-effects.ts`), and each step gets its entrypoint-time substitutions.
 */
import type { ConfigMap, Secret, ServiceAccount, StepAction, Task, TaskRun } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import type { LogStream } from "../../executors/executor.js";
import { ResourceTypes, type Store } from "../../store/index.js";
import { applyDiskEffects } from "./apply-effects.js";
import { DEFAULT_RUN_LIMITS, type RunLimits } from "./limits.js";
import type { TaskRunEngineOptions } from "./options.js";
import { planRun, type PreparedRun, type RunObjects } from "./plan.js";
import type { RemoteContent } from "./remote-refs.js";
import { runtimeSubstitution } from "./runtime-substitution.js";

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

/** The objects of namespace `ns` in the store. */
export function storeObjects(store: Store, ns: string): RunObjects {
  return {
    task: (n) => store.get<Task>(ResourceTypes.Task, ns, n),
    stepAction: (n) => store.get<StepAction>(ResourceTypes.StepAction, ns, n),
    configMap: (n) => store.get<ConfigMap>(ResourceTypes.ConfigMap, ns, n),
    secret: (n) => store.get<Secret>(ResourceTypes.Secret, ns, n),
    serviceAccount: (n) => store.get<ServiceAccount>(ResourceTypes.ServiceAccount, ns, n),
  };
}

export function prepareRun(tr: TaskRun, ctx: PrepareContext): PreparedRun {
  const plan = planRun({
    tr,
    objects: storeObjects(ctx.store, tr.metadata.namespace ?? "default"),
    podName: ctx.podName,
    dataDir: ctx.dataDir,
    virtualPaths: ctx.virtualPaths,
    features: ctx.features,
    defaults: ctx.defaults,
    limits: ctx.limits,
    ...(ctx.resume !== undefined ? { resume: ctx.resume } : {}),
    ...(ctx.remote !== undefined ? { remote: ctx.remote } : {}),
  });
  applyDiskEffects(plan.effects);
  const { run, layout } = plan;
  return {
    ...run,
    attempt: {
      ...run.attempt,
      pod: { ...run.attempt.pod, ...(ctx.onLog ? { onLog: ctx.onLog } : {}) },
      steps: run.attempt.steps.map((s) => ({
        ...s,
        resolveAtRuntime: (p, when) => runtimeSubstitution(layout, ctx.features, p, when),
      })),
    },
  };
}

/** Prepares attempt `podName` of a run with the reconciler's settings; its logs go to `onLog`. */
export function prepareAttempt(
  opts: TaskRunEngineOptions,
  tr: TaskRun,
  podName: string,
  resume: boolean,
  remote: RemoteContent | undefined,
): PreparedRun {
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.metadata.name ?? "";
  return prepareRun(tr, {
    store: opts.store,
    podName,
    dataDir: opts.dataDir,
    virtualPaths: opts.executor.virtualPaths,
    features: opts.features,
    defaults: opts.defaults,
    resume,
    limits: opts.limits ?? DEFAULT_RUN_LIMITS,
    ...(remote !== undefined ? { remote } : {}),
    onLog: (container, stream, chunk) =>
      opts.onLog?.({ namespace: ns, taskRun: name, podName, container, stream, chunk }),
  });
}
