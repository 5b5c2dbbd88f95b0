/**
 * Which fields of a TaskSpec a substitution phase touches (docs/tekton-semantics.md#substitution): the container fields of
 * steps, stepTemplate and sidecars, step-only fields, volumes and workspace mount paths.
 * Everything else (env names, securityContext, resources, probes, timeout, results…) is kept.
 */
import type {
  ContainerFields,
  Param,
  ParamValue,
  Sidecar,
  Step,
  TaskSpec,
  Volume,
  WhenExpression,
} from "../../api/types.js";
import {
  applyArrayReplacements,
  applyOptional,
  applyReplacements,
  applyToList,
  type Replacements,
} from "./replace.js";

type Strings = ReadonlyMap<string, string>;

/** `$(a.b.c)`, `$(a.b[0])` or `$(a.b[*])` and nothing else (Tekton's exact-reference form). */
const EXACT_REFERENCE = /^\$\([_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?\)$/;

function setList<T extends { command?: string[]; args?: string[] }>(
  c: T,
  field: "command" | "args",
  r: Replacements,
): void {
  const list = c[field];
  if (list === undefined) return;
  const out = applyToList(list, r);
  if (out === undefined) delete c[field];
  else c[field] = out;
}

/** Replaces in the fields every container shares (mutates `c`, which must be a copy). */
export function replaceContainerFields(c: ContainerFields, r: Replacements): void {
  const s = r.strings;
  c.name = applyOptional(c.name, s);
  if (c.name === undefined) delete c.name;
  if (c.image !== undefined) c.image = applyReplacements(c.image, s);
  if (c.imagePullPolicy !== undefined) c.imagePullPolicy = applyReplacements(c.imagePullPolicy, s);
  setList(c, "args", r);
  for (const e of c.env ?? []) {
    if (e.value !== undefined) e.value = applyReplacements(e.value, s);
    for (const ref of [e.valueFrom?.secretKeyRef, e.valueFrom?.configMapKeyRef]) {
      if (ref === undefined) continue;
      ref.name = applyReplacements(ref.name, s);
      ref.key = applyReplacements(ref.key, s);
    }
  }
  for (const e of c.envFrom ?? []) {
    if (e.prefix !== undefined) e.prefix = applyReplacements(e.prefix, s);
    if (e.configMapRef !== undefined) e.configMapRef.name = applyReplacements(e.configMapRef.name, s);
    if (e.secretRef !== undefined) e.secretRef.name = applyReplacements(e.secretRef.name, s);
  }
  if (c.workingDir !== undefined) c.workingDir = applyReplacements(c.workingDir, s);
  setList(c, "command", r);
  for (const m of c.volumeMounts ?? []) {
    m.name = applyReplacements(m.name, s);
    m.mountPath = applyReplacements(m.mountPath, s);
    if (m.subPath !== undefined) m.subPath = applyReplacements(m.subPath, s);
  }
}

function arrayReference(value: string): string {
  let v = value;
  if (v.startsWith("$(params.")) v = v.slice("$(params.".length);
  if (v.endsWith("[*])")) v = v.slice(0, -"[*])".length);
  return v;
}

/** Step `when` replacement: `values` splice only for an exact `$(params.a[*])`. */
export function replaceWhen(when: readonly WhenExpression[], r: Replacements): WhenExpression[] {
  return when.map((w) => {
    const out: WhenExpression = { ...w };
    if (w.input !== undefined) {
      out.input = r.arrays.has(`params.${arrayReference(w.input)}`)
        ? JSON.stringify(applyArrayReplacements(w.input, r))
        : applyReplacements(w.input, r.strings);
    }
    if (w.cel !== undefined) out.cel = applyReplacements(w.cel, r.strings);
    if (w.values !== undefined) {
      const values: string[] = [];
      for (const v of w.values) {
        if (r.arrays.has(`params.${arrayReference(v)}`)) values.push(...applyArrayReplacements(v, r));
        else values.push(applyReplacements(v, r.strings));
      }
      if (values.length > 0) out.values = values;
      else delete out.values;
    }
    return out;
  });
}

/**
 * Replaces in one param value: array elements splice, object values get string replacement,
 * and a string that is exactly one reference to an array or object becomes that array or
 * object (Tekton's `applyOrCorrect`).
 */
export function replaceParamValue(value: ParamValue, r: Replacements): ParamValue {
  if (Array.isArray(value)) return value.flatMap((v) => applyArrayReplacements(v, r));
  if (typeof value !== "string") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, applyReplacements(v, r.strings)]));
  }
  if (!EXACT_REFERENCE.test(value)) return applyReplacements(value, r.strings);
  let key = value.slice(2, -1);
  if (key.endsWith("[*]")) key = key.slice(0, -3);
  let out: ParamValue = value;
  if (r.strings.has(key)) out = applyReplacements(value, r.strings);
  if (r.arrays.has(key)) out = applyArrayReplacements(value, r);
  const obj = r.objects.get(key);
  if (obj !== undefined) out = { ...obj };
  return out;
}

/** Replaces in a list of params (step `params`, resolver params). */
export function replaceParams(params: readonly Param[], r: Replacements): Param[] {
  return params.map((p) => ({ ...p, value: replaceParamValue(p.value, r) }));
}

/** Step-specific fields plus container fields (Tekton's `ApplyStepReplacements`); not `params`. */
export function replaceStepFields(step: Step, r: Replacements): void {
  const s = r.strings;
  if (step.script !== undefined) step.script = applyReplacements(step.script, s);
  if (step.onError !== undefined) step.onError = applyReplacements(step.onError, s);
  if (step.stdoutConfig?.path !== undefined)
    step.stdoutConfig.path = applyReplacements(step.stdoutConfig.path, s);
  if (step.stderrConfig?.path !== undefined)
    step.stderrConfig.path = applyReplacements(step.stderrConfig.path, s);
  if (step.when !== undefined) step.when = replaceWhen(step.when, r);
  replaceContainerFields(step, r);
}

/** Sidecar `script` plus container fields. */
export function replaceSidecarFields(sidecar: Sidecar, r: Replacements): void {
  if (sidecar.script !== undefined) sidecar.script = applyReplacements(sidecar.script, r.strings);
  replaceContainerFields(sidecar, r);
}

function replaceKeyToPath(items: Array<{ key: string; path: string }> | undefined, s: Strings): void {
  for (const item of items ?? []) {
    item.key = applyReplacements(item.key, s);
    item.path = applyReplacements(item.path, s);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function replaceNameIn(holder: unknown, field: string, s: Strings): void {
  if (isRecord(holder) && typeof holder[field] === "string")
    holder[field] = applyReplacements(holder[field], s);
}

/** Volume fields that accept substitution (mutates `v`, which must be a copy). */
export function replaceVolumeFields(v: Volume, s: Strings): void {
  v.name = applyReplacements(v.name, s);
  if (v.configMap !== undefined) {
    if (v.configMap.name !== undefined) v.configMap.name = applyReplacements(v.configMap.name, s);
    replaceKeyToPath(v.configMap.items, s);
  }
  if (v.secret !== undefined) {
    if (v.secret.secretName !== undefined) v.secret.secretName = applyReplacements(v.secret.secretName, s);
    replaceKeyToPath(v.secret.items, s);
  }
  if (v.persistentVolumeClaim !== undefined) {
    v.persistentVolumeClaim.claimName = applyReplacements(v.persistentVolumeClaim.claimName, s);
  }
  for (const source of v.projected?.sources ?? []) {
    if (!isRecord(source)) continue;
    replaceNameIn(source.configMap, "name", s);
    replaceNameIn(source.secret, "name", s);
    replaceNameIn(source.serviceAccountToken, "audience", s);
  }
  if (v.csi !== undefined) {
    replaceNameIn(v.csi.nodePublishSecretRef, "name", s);
    const attrs = v.csi.volumeAttributes;
    if (isRecord(attrs)) {
      for (const [k, val] of Object.entries(attrs)) {
        if (typeof val === "string") attrs[k] = applyReplacements(val, s);
      }
    }
  }
}

/** Copies a TaskSpec (plain JSON data) so a phase never mutates its input. */
export function copySpec(spec: TaskSpec): TaskSpec {
  return structuredClone(spec);
}

/**
 * Applies one phase's replacements to every substitutable field of a TaskSpec
 * (Tekton's `ApplyReplacements`). Returns a new spec.
 */
export function replaceInTaskSpec(spec: TaskSpec, r: Replacements): TaskSpec {
  const out = copySpec(spec);
  for (const step of out.steps ?? []) {
    if (step.params !== undefined) step.params = replaceParams(step.params, r);
    replaceStepFields(step, r);
  }
  if (out.stepTemplate !== undefined) replaceContainerFields(out.stepTemplate, r);
  for (const v of out.volumes ?? []) replaceVolumeFields(v, r.strings);
  for (const w of out.workspaces ?? []) {
    if (w.mountPath !== undefined) w.mountPath = applyReplacements(w.mountPath, r.strings);
  }
  for (const sidecar of out.sidecars ?? []) replaceSidecarFields(sidecar, r);
  return out;
}
