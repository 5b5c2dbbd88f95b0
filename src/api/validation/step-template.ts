/**
 * The part of Tekton's `MergeStepsWithStepTemplate` that validation depends on: a step inherits
 * the template's container fields it does not set; `env` merges by name and `volumeMounts` by
 * mountPath. Steps with a `ref` are left alone (their StepAction is not resolved yet).
 */
import type { Step, StepTemplate } from "../types.js";

function mergeByKey<T>(
  template: readonly T[] | undefined,
  own: readonly T[] | undefined,
  key: (t: T) => string,
): T[] | undefined {
  if (template === undefined || template.length === 0) return own === undefined ? undefined : [...own];
  if (own === undefined || own.length === 0) return [...template];
  const ownKeys = new Set(own.map(key));
  return [...template.filter((t) => !ownKeys.has(key(t))), ...own];
}

function pick<T>(own: T | undefined, template: T | undefined): T | undefined {
  if (own === undefined || own === "" || (Array.isArray(own) && own.length === 0)) return template ?? own;
  return own;
}

/** Steps with the template applied; the input is not modified. */
export function mergeStepsWithTemplate(template: StepTemplate | undefined, steps: readonly Step[]): Step[] {
  if (template === undefined) return [...steps];
  return steps.map((s) => {
    if (s.ref !== undefined) return s;
    const merged: Step = { ...s };
    merged.image = pick(s.image, template.image);
    merged.command = pick(s.command, template.command);
    merged.args = pick(s.args, template.args);
    merged.workingDir = pick(s.workingDir, template.workingDir);
    merged.imagePullPolicy = pick(s.imagePullPolicy, template.imagePullPolicy);
    merged.envFrom = pick(s.envFrom, template.envFrom);
    merged.volumeDevices = pick(s.volumeDevices, template.volumeDevices);
    merged.env = mergeByKey(template.env, s.env, (e) => e.name);
    merged.volumeMounts = mergeByKey(template.volumeMounts, s.volumeMounts, (v) => v.mountPath);
    for (const k of Object.keys(merged) as Array<keyof Step>) {
      if (merged[k] === undefined) delete merged[k];
    }
    return merged;
  });
}
