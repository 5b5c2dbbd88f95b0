/**
 * The cluster resolver (Tekton's `pkg/resolution/resolver/cluster`): a Task, Pipeline or
 * StepAction from the store in another namespace, within the allow/block lists.
 */
import { createHash } from "node:crypto";
import YAML from "yaml";
import type { KubeObject } from "../../api/types.js";
import type { FeatureFlags } from "../../config/features.js";
import { ResolverConfigMap } from "../../config/resolvers.js";
import { inCommaList } from "./params.js";
import type { ReadableKind, Resolver, ResolverParams } from "./resolver.js";

const SUPPORTED = ["task", "pipeline", "stepaction"];

/** Tekton's `populateParamsWithDefaults`, including the namespace allow/block rules. */
export function clusterParams(
  params: ResolverParams,
  conf: Readonly<Record<string, string>>,
): ResolverParams {
  const out: ResolverParams = {};
  const missing: string[] = [];
  if (!params["kind"]) {
    if (conf["default-kind"] === undefined) missing.push("kind");
    else out["kind"] = conf["default-kind"];
  } else out["kind"] = params["kind"];
  if (out["kind"] !== undefined && !SUPPORTED.includes(out["kind"])) {
    throw new Error(`unknown or unsupported resource kind '${out["kind"]}'`);
  }
  if (!params["name"]) missing.push("name");
  else out["name"] = params["name"];
  if (!params["namespace"]) {
    if (conf["default-namespace"] === undefined) missing.push("namespace");
    else out["namespace"] = conf["default-namespace"];
  } else out["namespace"] = params["namespace"];
  if (out["namespace"] !== undefined && out["namespace"].trim() === "") {
    missing.push("namespace");
    delete out["namespace"];
  }
  if (missing.length > 0) throw new Error(`missing required cluster resolver params: ${missing.join(", ")}`);
  const ns = out["namespace"] ?? "";
  const blocked = conf["blocked-namespaces"] ?? "";
  const allowed = conf["allowed-namespaces"] ?? "";
  if (blocked !== "" && inCommaList(ns, blocked))
    throw new Error(`access to specified namespace ${ns} is blocked`);
  if (allowed !== "" && inCommaList(ns, allowed)) return out;
  if (blocked !== "" && inCommaList("*", blocked))
    throw new Error("only explicit allowed access to namespaces is allowed");
  if (allowed !== "" && !inCommaList(ns, allowed))
    throw new Error(`access to specified namespace ${ns} is not allowed`);
  return out;
}

const KINDS: Record<string, { kind: ReadableKind; apiVersion: string; plural: string }> = {
  task: { kind: "Task", apiVersion: "tekton.dev/v1", plural: "tasks" },
  pipeline: { kind: "Pipeline", apiVersion: "tekton.dev/v1", plural: "pipelines" },
  stepaction: { kind: "StepAction", apiVersion: "tekton.dev/v1beta1", plural: "stepactions" },
};

export const clusterResolver: Resolver = {
  type: "cluster",
  displayName: "Cluster",
  configMap: ResolverConfigMap.Cluster,
  enabled: (f: FeatureFlags) => f.enableClusterResolver,
  disabledMessage: "cannot handle resolution request, enable-cluster-resolver feature flag not true",
  validate: clusterParams,
  resolve(params, ctx) {
    const info = KINDS[params["kind"] ?? ""];
    const ns = params["namespace"] ?? "";
    const name = params["name"] ?? "";
    if (info === undefined)
      return Promise.reject(new Error(`unknown or invalid resource kind ${params["kind"] ?? ""}`));
    const obj = ctx.objects<KubeObject>(info.kind, ns, name);
    if (obj === undefined) return Promise.reject(new Error(`${info.plural}.tekton.dev "${name}" not found`));
    const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
    void _status;
    const out = { ...rest, apiVersion: info.apiVersion, kind: info.kind };
    const spec = JSON.stringify((obj as { spec?: unknown }).spec ?? {});
    return Promise.resolve({
      data: Buffer.from(YAML.stringify(out)),
      annotations: { "resolution.tekton.dev/name": name, "resolution.tekton.dev/namespace": ns },
      refSource: {
        uri: `/apis/tekton.dev/v1/namespaces/${ns}/${params["kind"] ?? ""}/${name}@${obj.metadata.uid ?? ""}`,
        digest: { sha256: createHash("sha256").update(spec).digest("hex") },
      },
    });
  },
};
