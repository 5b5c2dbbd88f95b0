/**
 * Container environment as the kubelet builds it: `envFrom` first, then `env` (later wins),
 * `valueFrom` ConfigMap/Secret keys and a few downward-API fields, then podTemplate env.
 */
import type { ConfigMap, EnvFromSource, EnvVar, Secret } from "../../api/types.js";
import type { EnvEntry } from "../../executors/executor.js";
import { expandContainerEnv, type EnvInput } from "../substitution/index.js";

/** Read access to the objects a TaskRun refers to, in the TaskRun's namespace. */
export interface ObjectLookup {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
}

/** A container cannot be configured (missing ConfigMap, Secret or key): Tekton's CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  override readonly name = "ContainerConfigError";
  /** Which container could not be configured, as Tekton names it: `step "x"`, `sidecar "y"`. */
  readonly who: string | undefined;
  constructor(message: string, who?: string) {
    super(message);
    this.who = who;
  }
}

export function configMapData(cm: ConfigMap): Record<string, string> {
  const out: Record<string, string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries(cm.binaryData ?? {}))
    out[k] = Buffer.from(v, "base64").toString("utf8");
  return out;
}

export function secretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, "base64").toString("utf8");
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

export interface FieldContext {
  podName: string;
  namespace: string;
  serviceAccountName: string;
}

function fieldValue(path: string, ctx: FieldContext): string {
  switch (path) {
    case "metadata.name":
      return ctx.podName;
    case "metadata.namespace":
      return ctx.namespace;
    case "spec.serviceAccountName":
      return ctx.serviceAccountName;
    case "spec.nodeName":
    case "status.hostIP":
    case "status.podIP":
      return path === "spec.nodeName" ? "localhost" : "127.0.0.1";
    default:
      return "";
  }
}

function fromSource(src: EnvFromSource, lookup: ObjectLookup): Record<string, string> {
  if (src.configMapRef) {
    const cm = lookup.configMap(src.configMapRef.name);
    if (cm === undefined) {
      if (src.configMapRef.optional) return {};
      throw new ContainerConfigError(`configmap "${src.configMapRef.name}" not found`);
    }
    return configMapData(cm);
  }
  if (src.secretRef) {
    const secret = lookup.secret(src.secretRef.name);
    if (secret === undefined) {
      if (src.secretRef.optional) return {};
      throw new ContainerConfigError(`secret "${src.secretRef.name}" not found`);
    }
    return secretData(secret);
  }
  return {};
}

function valueOf(v: EnvVar, lookup: ObjectLookup, ctx: FieldContext): string | undefined {
  if (v.valueFrom === undefined) return v.value ?? "";
  const { configMapKeyRef, secretKeyRef, fieldRef } = v.valueFrom;
  if (configMapKeyRef) {
    const cm = lookup.configMap(configMapKeyRef.name);
    const data = cm === undefined ? undefined : configMapData(cm);
    if (data === undefined || !(configMapKeyRef.key in data)) {
      if (configMapKeyRef.optional) return undefined;
      throw new ContainerConfigError(
        data === undefined
          ? `configmap "${configMapKeyRef.name}" not found`
          : `couldn't find key ${configMapKeyRef.key} in ConfigMap ${ctx.namespace}/${configMapKeyRef.name}`,
      );
    }
    return data[configMapKeyRef.key];
  }
  if (secretKeyRef) {
    const secret = lookup.secret(secretKeyRef.name);
    const data = secret === undefined ? undefined : secretData(secret);
    if (data === undefined || !(secretKeyRef.key in data)) {
      if (secretKeyRef.optional) return undefined;
      throw new ContainerConfigError(
        data === undefined
          ? `secret "${secretKeyRef.name}" not found`
          : `couldn't find key ${secretKeyRef.key} in Secret ${ctx.namespace}/${secretKeyRef.name}`,
      );
    }
    return data[secretKeyRef.key];
  }
  if (fieldRef) return fieldValue(fieldRef.fieldPath, ctx);
  return "";
}

/**
 * Builds the final ordered env list, with Kubernetes' `$(VAR)` expansion of literal values;
 * throws ContainerConfigError for missing references.
 */
export function buildEnv(
  envFrom: EnvFromSource[] | undefined,
  env: EnvVar[] | undefined,
  podEnv: EnvVar[] | undefined,
  lookup: ObjectLookup,
  ctx: FieldContext,
  who?: string,
): EnvEntry[] {
  try {
    return collectEnv(envFrom, env, podEnv, lookup, ctx);
  } catch (err) {
    if (err instanceof ContainerConfigError && who !== undefined)
      throw new ContainerConfigError(err.message, who);
    throw err;
  }
}

function collectEnv(
  envFrom: EnvFromSource[] | undefined,
  env: EnvVar[] | undefined,
  podEnv: EnvVar[] | undefined,
  lookup: ObjectLookup,
  ctx: FieldContext,
): EnvEntry[] {
  const base = new Map<string, string>();
  for (const src of envFrom ?? []) {
    for (const [k, v] of Object.entries(fromSource(src, lookup))) base.set((src.prefix ?? "") + k, v);
  }
  const inputs: EnvInput[] = [];
  for (const v of [...(env ?? []), ...(podEnv ?? [])]) {
    if (v.valueFrom === undefined) {
      inputs.push({ name: v.name, value: v.value ?? "" });
      continue;
    }
    const resolved = valueOf(v, lookup, ctx);
    if (resolved !== undefined) inputs.push({ name: v.name, resolved });
  }
  return [...expandContainerEnv(inputs, base).entries()].map(([name, value]) => ({ name, value }));
}
