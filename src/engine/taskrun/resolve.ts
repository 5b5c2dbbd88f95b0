/**
 * Resolution of the Task a TaskRun runs, and the reconcile-time checks of its inputs
 * (docs/tekton-semantics.md#runtime-validation): params, enum values, array indexes, workspace bindings.
 */
import type { FeatureFlags } from "../../config/features.js";
import type {
  Param,
  ParamSpec,
  ParamValue,
  StepAction,
  Task,
  TaskRun,
  TaskSpec,
  WorkspaceBinding,
  WorkspaceDeclaration,
} from "../../api/types.js";
import { FailureKind, RunPreparationError } from "./failure.js";

export interface DefinitionLookup {
  task(name: string): Task | undefined;
  stepAction(name: string): StepAction | undefined;
}

export interface ResolvedTask {
  /** `context.task.name`: the Task's name, or the TaskRun's own name for an inline spec. */
  taskName: string;
  spec: TaskSpec;
  inline: boolean;
  /** Labels and annotations of a referenced Task, merged into the TaskRun (TaskRun wins). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Finds the TaskSpec: inline, the remotely resolved Task, or a Task in the same namespace. */
export function resolveTask(tr: TaskRun, lookup: DefinitionLookup, remote?: Task): ResolvedTask {
  const name = tr.metadata.name ?? "";
  if (tr.spec.taskSpec) {
    return { taskName: name, spec: tr.spec.taskSpec, inline: true, labels: {}, annotations: {} };
  }
  if (remote !== undefined) {
    return {
      taskName: remote.metadata.name ?? "",
      spec: remote.spec,
      inline: false,
      labels: { ...(remote.metadata.labels ?? {}) },
      annotations: { ...(remote.metadata.annotations ?? {}) },
    };
  }
  const ref = tr.spec.taskRef ?? {};
  if (ref.resolver !== undefined || ref.name === undefined) {
    throw new RunPreparationError(
      FailureKind.Resolution,
      `error requesting remote resource: resolver "${ref.resolver ?? ""}" is not available: tektite resolves Tasks from the objects it was given`,
    );
  }
  const kind = (ref.kind ?? "Task").toLowerCase();
  if (kind !== "task") {
    throw new RunPreparationError(
      FailureKind.Resolution,
      `error when listing tasks for taskRun ${name}: ${kind === "clustertask" ? "clustertasks" : kind}.tekton.dev "${ref.name}" not found`,
    );
  }
  const task = lookup.task(ref.name);
  if (task === undefined) {
    throw new RunPreparationError(
      FailureKind.Resolution,
      `error when listing tasks for taskRun ${name}: tasks.tekton.dev "${ref.name}" not found`,
    );
  }
  return {
    taskName: ref.name,
    spec: task.spec,
    inline: false,
    labels: { ...(task.metadata.labels ?? {}) },
    annotations: { ...(task.metadata.annotations ?? {}) },
  };
}

function valueType(v: ParamValue): "string" | "array" | "object" {
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return "string";
}

const isReference = (v: ParamValue): boolean => typeof v === "string" && /^\$\(.*\)$/.test(v.trim());

/** Go's `%v` of a string slice: `[a b c]`. */
const goList = (xs: string[]): string => `[${xs.join(" ")}]`;

/** Params checks, in Tekton's order; throws RunPreparationError. */
export function validateParams(
  taskName: string,
  specs: ParamSpec[] | undefined,
  given: Param[] | undefined,
  features: FeatureFlags,
): void {
  const provided = new Map((given ?? []).map((p) => [p.name, p.value]));
  const prefix = `invalid input params for task ${taskName}: `;
  const missing = (specs ?? [])
    .filter((s) => s.default === undefined && !provided.has(s.name))
    .map((s) => s.name);
  if (missing.length > 0) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `${prefix}missing values for these params which have no default values: ${goList(missing)}`,
    );
  }
  const wrongType: string[] = [];
  for (const s of specs ?? []) {
    const v = provided.get(s.name);
    if (v === undefined) continue;
    const want = s.type ?? "string";
    if (valueType(v) !== want && !(want !== "string" && isReference(v))) wrongType.push(s.name);
  }
  if (wrongType.length > 0) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `${prefix}param types don't match the user-specified type: ${goList(wrongType)}`,
    );
  }
  const missingKeys: string[] = [];
  for (const s of specs ?? []) {
    if ((s.type ?? "string") !== "object" || s.properties === undefined) continue;
    const v = provided.get(s.name);
    if (v !== undefined && isReference(v)) continue;
    const keys = new Set<string>([
      ...Object.keys(typeof s.default === "object" && !Array.isArray(s.default) ? s.default : {}),
      ...Object.keys(v !== undefined && typeof v === "object" && !Array.isArray(v) ? v : {}),
    ]);
    const absent = Object.keys(s.properties).filter((k) => !keys.has(k));
    if (absent.length > 0) missingKeys.push(`${s.name}:${goList(absent)}`);
  }
  if (missingKeys.length > 0) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `${prefix}missing keys for these params which are required in ParamSpec's properties map[${missingKeys.join(" ")}]`,
    );
  }
  if (features.enableParamEnum) {
    for (const s of specs ?? []) {
      if (!s.enum || s.enum.length === 0) continue;
      const v = provided.get(s.name) ?? s.default;
      if (typeof v !== "string" || v === "") continue;
      if (!s.enum.includes(v)) {
        throw new RunPreparationError(
          FailureKind.InvalidParamValue,
          `param \`${s.name}\` value: ${v} is not in the enum list`,
        );
      }
    }
  }
}

const INDEXED_REF = /\$\(params(?:\.([_a-zA-Z][_a-zA-Z0-9.-]*)|\[['"]([^'"]+)['"]\])\[(\d+)\]\)/g;

/** `non-existent param references:[…]` for `$(params.a[i])` past the end of the array. */
export function validateArrayIndexes(spec: TaskSpec, values: Map<string, ParamValue>): void {
  const text = JSON.stringify({
    steps: spec.steps,
    stepTemplate: spec.stepTemplate,
    sidecars: spec.sidecars,
    volumes: spec.volumes,
    workspaces: spec.workspaces,
  });
  const bad = new Set<string>();
  for (const m of text.matchAll(INDEXED_REF)) {
    const name = m[1] ?? m[2] ?? "";
    const idx = Number(m[3]);
    const v = values.get(name);
    if (Array.isArray(v) && idx >= v.length) bad.add(m[0]);
  }
  if (bad.size > 0) {
    throw new RunPreparationError(
      FailureKind.Validation,
      `non-existent param references:${goList([...bad].sort())}`,
    );
  }
}

/**
 * Workspace bindings against declarations. For an inline spec the bindings themselves count as
 * declarations (propagation); the returned declarations include them.
 */
export function validateWorkspaces(
  declared: WorkspaceDeclaration[] | undefined,
  bindings: WorkspaceBinding[] | undefined,
  inline: boolean,
  defaultBinding: WorkspaceBinding | undefined,
): { declarations: WorkspaceDeclaration[]; bindings: WorkspaceBinding[] } {
  const decls = [...(declared ?? [])];
  const binds = [...(bindings ?? [])];
  const declaredNames = new Set(decls.map((d) => d.name));
  if (inline) {
    for (const b of binds) {
      if (!declaredNames.has(b.name)) {
        decls.push({ name: b.name });
        declaredNames.add(b.name);
      }
    }
  }
  const bound = new Set(binds.map((b) => b.name));
  for (const d of decls) {
    if (d.optional || bound.has(d.name)) continue;
    if (defaultBinding !== undefined) {
      binds.push({ ...defaultBinding, name: d.name });
      bound.add(d.name);
      continue;
    }
    throw new RunPreparationError(
      FailureKind.Validation,
      `declared workspace "${d.name}" is required but has not been bound`,
    );
  }
  for (const b of binds) {
    if (!declaredNames.has(b.name)) {
      throw new RunPreparationError(
        FailureKind.Validation,
        `workspace binding "${b.name}" does not match any declared workspace`,
      );
    }
  }
  return { declarations: decls, bindings: binds };
}
