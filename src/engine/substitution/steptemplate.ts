/**
 * Merging a Task's `stepTemplate` into a step, as Tekton does when it builds the pod
 * (`MergeStepsWithStepTemplate`, a Kubernetes strategic merge of two containers): fields the
 * step sets win; `env` is merged by name and `volumeMounts` by mountPath (the step's entry
 * wins, template-only entries are kept); maps such as resources and securityContext merge
 * recursively; lists without a merge key (command, args, envFrom…) are replaced.
 */
import type { Step, StepTemplate } from "../../api/types.js";

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Go's `omitempty` for strings, lists and maps: a field the step leaves empty does not override the template. */
function isEmpty(v: Json): boolean {
  return (
    v === undefined ||
    v === null ||
    v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (isPlainObject(v) && Object.keys(v).length === 0)
  );
}

function mergeObjects(template: Record<string, Json>, patch: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = structuredClone(template);
  for (const [k, v] of Object.entries(patch)) {
    if (isEmpty(v)) continue;
    const base = out[k];
    out[k] = isPlainObject(base) && isPlainObject(v) ? mergeObjects(base, v) : structuredClone(v);
  }
  return out;
}

/**
 * Merges two lists keyed by `key` the way a strategic merge patch orders them: the step's
 * items in the step's order (merged over a template item with the same key), with
 * template-only items slotted in before the first step item that follows them in the template.
 */
function mergeKeyed<T extends Record<string, Json>>(
  template: readonly T[],
  patch: readonly T[],
  key: string,
): T[] {
  const patchKeys = new Set(patch.map((p) => p[key]));
  const serverOrder = template.map((t) => t[key]);
  const serverOnly = template.filter((t) => !patchKeys.has(t[key])).map((t) => structuredClone(t));
  const merged = patch.map((p) => {
    const base = template.find((t) => t[key] === p[key]);
    return (base === undefined ? structuredClone(p) : mergeObjects(base, p)) as T;
  });
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < merged.length) {
    const left = serverOnly[i];
    const right = merged[j];
    if (left === undefined) {
      if (right !== undefined) out.push(right);
      j++;
    } else if (right === undefined) {
      out.push(left);
      i++;
    } else {
      const li = serverOrder.indexOf(left[key]);
      const ri = serverOrder.indexOf(right[key]);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push(left);
        i++;
      } else {
        out.push(right);
        j++;
      }
    }
  }
  return out;
}

const KEYED_LISTS: Record<string, string> = {
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
};

/** Container fields a stepTemplate can supply. */
const CONTAINER_FIELDS = [
  "name",
  "image",
  "command",
  "args",
  "workingDir",
  "env",
  "envFrom",
  "volumeMounts",
  "volumeDevices",
  "imagePullPolicy",
  "securityContext",
  "computeResources",
  "resources",
] as const;

/**
 * The step with the template merged in (see the module comment). After the merge, an env
 * entry that ends up with both `value` and `valueFrom` is replaced by the step's own entry.
 * A missing template returns the step unchanged.
 */
export function mergeStepTemplate(template: StepTemplate | undefined, step: Step): Step {
  if (template === undefined) return step;
  const out: Record<string, Json> = structuredClone(step) as Record<string, Json>;
  const tmpl = template as Record<string, Json>;
  const own = step as Record<string, Json>;
  for (const field of CONTAINER_FIELDS) {
    const t = tmpl[field];
    const s = own[field];
    if (isEmpty(t)) continue;
    if (isEmpty(s)) {
      out[field] = structuredClone(t);
      continue;
    }
    const mergeKey = KEYED_LISTS[field];
    if (mergeKey !== undefined && Array.isArray(t) && Array.isArray(s)) {
      out[field] = mergeKeyed(t as Array<Record<string, Json>>, s as Array<Record<string, Json>>, mergeKey);
    } else if (isPlainObject(t) && isPlainObject(s)) {
      out[field] = mergeObjects(t, s);
    }
  }
  const merged = out as Step;
  if (merged.env !== undefined && step.env !== undefined && step.env.length > 0) {
    const stepEnv = new Map(step.env.map((e) => [e.name, e]));
    merged.env = merged.env.map((e) => {
      const mine = stepEnv.get(e.name);
      return e.valueFrom !== undefined && e.value !== undefined && e.value !== "" && mine !== undefined
        ? structuredClone(mine)
        : e;
    });
  }
  return merged;
}
