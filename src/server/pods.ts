/**
 * Read-only Pods synthesized from TaskRuns, so tools that follow a TaskRun through its Pod (tkn,
 * the Dashboard, `kubectl logs`) work: one Pod per attempt, named `status.podName` (and each
 * `status.retriesStatus[].podName`), labelled `tekton.dev/taskRun=<name>`, owned by the TaskRun,
 * with one container per step (`step-<name>`) and sidecar (`sidecar-<name>`) whose
 * `containerStatuses` mirror `status.steps` / `status.sidecars`. A Pod's resourceVersion is its
 * TaskRun's.
 *
 * @module
 */

import { isDone, isSucceeded } from "../api/conditions.js";
import { MANAGED_BY_LABEL } from "../api/defaults.js";
import { workspaceVolumeNames } from "../engine/substitution/index.js";
import { createHash } from "node:crypto";
import type {
  ContainerState,
  KubeObject,
  StepState,
  TaskRun,
  TaskRunStatus,
  TaskSpec,
} from "../api/types.js";

/** Pod phases. */
export const PodPhase = {
  Pending: "Pending",
  Running: "Running",
  Succeeded: "Succeeded",
  Failed: "Failed",
} as const;
/** One of {@link PodPhase}'s values. */
export type PodPhase = (typeof PodPhase)[keyof typeof PodPhase];

/** A synthesized container: its name, image and state (from the TaskRun status). */
export interface PodContainer {
  name: string;
  image: string;
  state: ContainerState;
  imageID?: string;
  /** What the container runs (the resolved step's command, args and workingDir), when set. */
  run?: { command?: string[]; args?: string[]; workingDir?: string };
}

function runOf(
  c: { command?: string[]; args?: string[]; workingDir?: string } | undefined,
): PodContainer["run"] {
  if (c === undefined) return undefined;
  const run: NonNullable<PodContainer["run"]> = {};
  if (c.command !== undefined) run.command = c.command;
  if (c.args !== undefined) run.args = c.args;
  if (c.workingDir !== undefined) run.workingDir = c.workingDir;
  return Object.keys(run).length > 0 ? run : undefined;
}

const VOLUME_SOURCES = [
  "emptyDir",
  "configMap",
  "secret",
  "projected",
  "csi",
  "persistentVolumeClaim",
] as const;

/** The Pod's volumes: one per workspace binding (named as `$(workspaces.<w>.volume)`), then the Task's. */
function volumesOf(tr: TaskRun, spec: TaskSpec | undefined): Array<Record<string, unknown>> {
  const bindings = tr.spec.workspaces ?? [];
  const names = workspaceVolumeNames(bindings);
  const out: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  for (const b of bindings) {
    const name = names.get(b.name);
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    const source = Object.fromEntries(VOLUME_SOURCES.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
    out.push({ name, ...source });
  }
  for (const v of spec?.volumes ?? []) out.push(v as Record<string, unknown>);
  return out;
}

function uuidFrom(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stateOf(s: ContainerState): ContainerState {
  if (s.terminated) return { terminated: s.terminated };
  if (s.running) return { running: s.running };
  return { waiting: s.waiting ?? { reason: "PodInitializing" } };
}

function containersOf(status: TaskRunStatus, spec: TaskSpec | undefined): PodContainer[] {
  const steps: PodContainer[] = (status.steps ?? []).map((s: StepState, i) => {
    const step = spec?.steps?.find((st) => st.name === s.name) ?? spec?.steps?.[i];
    const run = runOf(step);
    return {
      name: s.container ?? `step-${s.name}`,
      image: step?.image ?? "",
      state: stateOf(s),
      ...(s.imageID !== undefined ? { imageID: s.imageID } : {}),
      ...(run !== undefined ? { run } : {}),
    };
  });
  const sidecars: PodContainer[] = (status.sidecars ?? []).map((s) => {
    const sidecar = spec?.sidecars?.find((sc) => sc.name === s.name);
    const run = runOf(sidecar);
    return {
      name: s.container ?? `sidecar-${s.name}`,
      image: sidecar?.image ?? "",
      state: stateOf(s),
      ...(s.imageID !== undefined ? { imageID: s.imageID } : {}),
      ...(run !== undefined ? { run } : {}),
    };
  });
  return [...steps, ...sidecars];
}

function attemptDone(status: TaskRunStatus): { done: boolean; succeeded: boolean } {
  return { done: isDone({ status }), succeeded: isSucceeded({ status }) };
}

function phaseOf(status: TaskRunStatus, containers: PodContainer[]): PodPhase {
  const { done, succeeded } = attemptDone(status);
  if (done) return succeeded ? PodPhase.Succeeded : PodPhase.Failed;
  const steps = containers.filter((c) => c.name.startsWith("step-"));
  if (steps.some((c) => c.state.running || c.state.terminated)) return PodPhase.Running;
  return PodPhase.Pending;
}

function containerStatus(c: PodContainer): Record<string, unknown> {
  const running = c.state.running !== undefined;
  return {
    name: c.name,
    image: c.image,
    imageID: c.imageID ?? "",
    ready: running,
    started: running,
    restartCount: 0,
    state: c.state,
  };
}

/** The Pod of one attempt (`status` is the TaskRun's status or one of its `retriesStatus`). */
export function synthesizePod(tr: TaskRun, status: TaskRunStatus, podName: string): KubeObject {
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.metadata.name ?? "";
  const uid = tr.metadata.uid ?? "";
  const spec = status.taskSpec ?? tr.status?.taskSpec ?? tr.spec.taskSpec;
  const containers = containersOf(status, spec);
  const phase = phaseOf(status, containers);
  const labels: Record<string, string> = {
    ...(tr.metadata.labels ?? {}),
    [MANAGED_BY_LABEL]: "tekton-pipelines",
    "tekton.dev/taskRun": name,
    "tekton.dev/taskRunUID": uid,
  };
  const taskName = tr.spec.taskRef?.name;
  if (taskName !== undefined && labels["tekton.dev/task"] === undefined) labels["tekton.dev/task"] = taskName;
  const allReady = containers.length > 0 && containers.every((c) => c.state.running !== undefined);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName,
      namespace: ns,
      uid: uuidFrom(`${uid}/${podName}`),
      resourceVersion: tr.metadata.resourceVersion ?? "",
      creationTimestamp: status.startTime ?? tr.metadata.creationTimestamp ?? "",
      labels,
      annotations: { ...(tr.metadata.annotations ?? {}) },
      ownerReferences: [
        {
          apiVersion: "tekton.dev/v1",
          kind: "TaskRun",
          name,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: containers.map((c) => ({ name: c.name, image: c.image, ...(c.run ?? {}) })),
      volumes: volumesOf(tr, spec),
      restartPolicy: "Never",
      serviceAccountName: tr.spec.serviceAccountName ?? "default",
      nodeName: "tektite",
      schedulerName: "tektite",
    },
    status: {
      phase,
      conditions: [
        { type: "Initialized", status: "True" },
        { type: "Ready", status: allReady ? "True" : "False" },
        { type: "ContainersReady", status: allReady ? "True" : "False" },
        { type: "PodScheduled", status: "True" },
      ],
      hostIP: "127.0.0.1",
      podIP: "127.0.0.1",
      ...(status.startTime !== undefined ? { startTime: status.startTime } : {}),
      containerStatuses: containers.map(containerStatus),
      qosClass: "BestEffort",
    },
  };
}

/** Every Pod of a TaskRun: retries first (oldest first), then the current attempt. */
export function podsOf(tr: TaskRun): KubeObject[] {
  const out: KubeObject[] = [];
  for (const retry of tr.status?.retriesStatus ?? []) {
    if (retry.podName) out.push(synthesizePod(tr, retry, retry.podName));
  }
  if (tr.status?.podName) out.push(synthesizePod(tr, tr.status, tr.status.podName));
  return out;
}

/** TaskRun names whose pod could be called `podName` (`<tr>-pod`, `<tr>-pod-retryN`). */
export function taskRunNameCandidates(podName: string): string[] {
  const m = /^(.+)-pod(?:-retry\d+)?$/.exec(podName);
  return m?.[1] !== undefined ? [m[1]] : [];
}

/** The containers of a synthesized Pod, in spec order, with their states. */
export function podContainers(pod: KubeObject): Array<{ name: string; state: ContainerState }> {
  const statuses =
    (pod["status"] as { containerStatuses?: Array<{ name: string; state: ContainerState }> } | undefined)
      ?.containerStatuses ?? [];
  return statuses.map((s) => ({ name: s.name, state: s.state }));
}
