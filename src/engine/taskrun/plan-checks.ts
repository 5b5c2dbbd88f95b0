/** The checks a TaskRun's plan makes before anything is laid out: server bounds, ServiceAccount. */
import YAML from "yaml";
import type { ServiceAccount, TaskRun, TaskSpec, WorkspaceBinding } from "../../api/types.js";
import type { ConfigDefaults } from "../../config/features.js";
import { FailureKind, RunPreparationError } from "./failure.js";
import type { RunLimits } from "./limits.js";

/** The hint Tekton appends to a pod-creation failure. */
export function invalidTaskHint(ns: string, resolved: { inline: boolean; taskName: string }): string {
  return resolved.inline
    ? "Maybe invalid TaskSpec"
    : `Maybe missing or invalid Task ${ns}/${resolved.taskName}`;
}

/** The server's bounds on steps and retries (Tekton has none; see {@link RunLimits}). */
export function checkRunLimits(tr: TaskRun, spec: TaskSpec, limits: RunLimits): void {
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
export function serviceAccountOf(
  lookup: (name: string) => ServiceAccount | undefined,
  tr: TaskRun,
  resolved: { inline: boolean; taskName: string },
): ServiceAccount | undefined {
  const ns = tr.metadata.namespace ?? "default";
  const name = tr.spec.serviceAccountName || "default";
  const sa = lookup(name);
  if (sa === undefined && name !== "default") {
    const hint = invalidTaskHint(ns, resolved);
    throw new RunPreparationError(
      FailureKind.PodCreation,
      `failed to create task run pod "${tr.metadata.name ?? ""}": translating TaskSpec to Pod: serviceaccounts "${name}" not found. ${hint}`,
    );
  }
  return sa;
}

/** `default-task-run-workspace-binding` of config-defaults, for a workspace the TaskRun leaves unbound. */
export function defaultBinding(defaults: ConfigDefaults): WorkspaceBinding | undefined {
  return defaults.defaultTaskRunWorkspaceBinding
    ? (YAML.parse(defaults.defaultTaskRunWorkspaceBinding) as WorkspaceBinding)
    : undefined;
}
