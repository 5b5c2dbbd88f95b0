/**
 * Param substitution in TaskRun-level fields (docs/tekton-semantics.md#substitution): workspace bindings and
 * podTemplate. Only string replacements apply here (string params, array elements `[i]` and
 * object keys `.key`); whole arrays and objects are never spliced.
 */
import type { EnvVar, ParamValue, PodTemplate, Volume, WorkspaceBinding } from "../../api/types.js";
import { replaceVolumeFields } from "./fields.js";
import { paramReplacements } from "./params.js";
import { applyReplacements } from "./replace.js";

type Strings = ReadonlyMap<string, string>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Replaces in `holder[field]` when it is a string. */
function str(holder: unknown, field: string, s: Strings): void {
  if (isRecord(holder) && typeof holder[field] === "string")
    holder[field] = applyReplacements(holder[field], s);
}

/** Replaces in every string of `holder[field]` when it is a list of strings. */
function strList(holder: unknown, field: string, s: Strings): void {
  if (!isRecord(holder)) return;
  const list = holder[field];
  if (Array.isArray(list))
    holder[field] = list.map((v: unknown) => (typeof v === "string" ? applyReplacements(v, s) : v));
}

function records(v: unknown): Array<Record<string, unknown>> {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function keyToPath(items: unknown, s: Strings): void {
  for (const item of records(items)) {
    str(item, "key", s);
    str(item, "path", s);
  }
}

/** Replaces in one binding (mutates a copy). */
function replaceBinding(b: WorkspaceBinding, s: Strings): void {
  if (b.subPath !== undefined) b.subPath = applyReplacements(b.subPath, s);
  str(b.persistentVolumeClaim, "claimName", s);
  if (b.configMap !== undefined) {
    str(b.configMap, "name", s);
    keyToPath(b.configMap.items, s);
  }
  if (b.secret !== undefined) {
    str(b.secret, "secretName", s);
    keyToPath(b.secret.items, s);
  }
  for (const source of records(b.projected?.sources)) {
    for (const field of ["configMap", "secret"]) {
      str(source[field], "name", s);
      if (isRecord(source[field])) keyToPath(source[field].items, s);
    }
  }
  if (b.csi !== undefined) {
    str(b.csi, "driver", s);
    str(b.csi.nodePublishSecretRef, "name", s);
  }
}

/** String replacements for the TaskRun-level fields from effective param values. */
function stringsFor(params: ReadonlyMap<string, ParamValue>): Strings {
  return paramReplacements(params).strings;
}

/**
 * `spec.workspaces[]` with params replaced in subPath, claimName, configMap/secret names and
 * items, projected sources and CSI driver / nodePublishSecretRef (Tekton's
 * `ApplyParametersToWorkspaceBindings`).
 */
export function substituteWorkspaceBindings(
  bindings: readonly WorkspaceBinding[] | undefined,
  params: ReadonlyMap<string, ParamValue>,
): WorkspaceBinding[] {
  const s = stringsFor(params);
  return (bindings ?? []).map((b) => {
    const copy = structuredClone(b);
    replaceBinding(copy, s);
    return copy;
  });
}

function labelSelector(sel: unknown, s: Strings): void {
  if (!isRecord(sel)) return;
  if (isRecord(sel.matchLabels)) {
    sel.matchLabels = Object.fromEntries(
      Object.entries(sel.matchLabels).map(([k, v]) => [
        applyReplacements(k, s),
        typeof v === "string" ? applyReplacements(v, s) : v,
      ]),
    );
  }
  for (const e of records(sel.matchExpressions)) {
    str(e, "key", s);
    strList(e, "values", s);
  }
}

function nodeSelectorTerm(term: unknown, s: Strings): void {
  if (!isRecord(term)) return;
  for (const e of [...records(term.matchExpressions), ...records(term.matchFields)]) {
    str(e, "key", s);
    strList(e, "values", s);
  }
}

function podAffinityTerm(term: unknown, s: Strings): void {
  if (!isRecord(term)) return;
  labelSelector(term.labelSelector, s);
  str(term, "topologyKey", s);
  labelSelector(term.namespaceSelector, s);
  strList(term, "namespaces", s);
}

function affinity(a: unknown, s: Strings): void {
  if (!isRecord(a)) return;
  const node = a.nodeAffinity;
  if (isRecord(node)) {
    const required = node.requiredDuringSchedulingIgnoredDuringExecution;
    if (isRecord(required)) for (const t of records(required.nodeSelectorTerms)) nodeSelectorTerm(t, s);
    for (const p of records(node.preferredDuringSchedulingIgnoredDuringExecution))
      nodeSelectorTerm(p.preference, s);
  }
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const pa = a[kind];
    if (!isRecord(pa)) continue;
    for (const t of records(pa.requiredDuringSchedulingIgnoredDuringExecution)) podAffinityTerm(t, s);
    for (const p of records(pa.preferredDuringSchedulingIgnoredDuringExecution))
      podAffinityTerm(p.podAffinityTerm, s);
  }
}

function podSecurityContext(sc: unknown, s: Strings): void {
  if (!isRecord(sc)) return;
  for (const f of ["user", "role", "type", "level"]) str(sc.seLinuxOptions, f, s);
  for (const f of ["gmsaCredentialSpecName", "gmsaCredentialSpec", "runAsUserName"])
    str(sc.windowsOptions, f, s);
  for (const f of ["supplementalGroupsPolicy", "fsGroupChangePolicy", "seLinuxChangePolicy"]) str(sc, f, s);
  for (const sysctl of records(sc.sysctls)) {
    str(sysctl, "name", s);
    str(sysctl, "value", s);
  }
  for (const f of ["seccompProfile", "appArmorProfile"]) {
    str(sc[f], "type", s);
    str(sc[f], "localhostProfile", s);
  }
}

function envVar(e: EnvVar, s: Strings): void {
  e.name = applyReplacements(e.name, s);
  if (e.value !== undefined) e.value = applyReplacements(e.value, s);
  const from = e.valueFrom;
  if (from === undefined) return;
  for (const ref of [from.configMapKeyRef, from.secretKeyRef]) {
    str(ref, "name", s);
    str(ref, "key", s);
  }
  str(from.fieldRef, "fieldPath", s);
  str(from.resourceFieldRef, "resource", s);
  str(from.resourceFieldRef, "containerName", s);
}

/**
 * The podTemplate with params replaced as Tekton's `ApplyPodTemplateReplacements` does:
 * nodeSelector keys and values, tolerations, affinity, securityContext string fields,
 * runtimeClassName, schedulerName, priorityClassName, imagePullSecrets, hostAliases,
 * topologySpreadConstraints, dnsPolicy, dnsConfig, volumes and env (names included).
 */
export function substitutePodTemplate(
  podTemplate: PodTemplate | undefined,
  params: ReadonlyMap<string, ParamValue>,
): PodTemplate | undefined {
  if (podTemplate === undefined) return undefined;
  const s = stringsFor(params);
  const t: PodTemplate = structuredClone(podTemplate);
  if (t.nodeSelector !== undefined) {
    t.nodeSelector = Object.fromEntries(
      Object.entries(t.nodeSelector).map(([k, v]) => [applyReplacements(k, s), applyReplacements(v, s)]),
    );
  }
  for (const tol of records(t.tolerations))
    for (const f of ["key", "value", "operator", "effect"]) str(tol, f, s);
  affinity(t.affinity, s);
  podSecurityContext(t.securityContext, s);
  for (const f of ["runtimeClassName", "schedulerName", "priorityClassName", "dnsPolicy"]) str(t, f, s);
  for (const secret of records(t.imagePullSecrets)) str(secret, "name", s);
  for (const alias of records(t.hostAliases)) {
    str(alias, "ip", s);
    strList(alias, "hostnames", s);
  }
  for (const c of records(t.topologySpreadConstraints)) {
    str(c, "topologyKey", s);
    labelSelector(c.labelSelector, s);
  }
  if (isRecord(t.dnsConfig)) {
    strList(t.dnsConfig, "nameservers", s);
    strList(t.dnsConfig, "searches", s);
    for (const o of records(t.dnsConfig.options)) {
      str(o, "name", s);
      str(o, "value", s);
    }
  }
  for (const v of t.volumes ?? []) replaceVolumeFields(v as Volume, s);
  for (const e of t.env ?? []) envVar(e, s);
  return t;
}
