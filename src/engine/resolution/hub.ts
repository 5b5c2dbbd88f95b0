/**
 * The hub resolver (Tekton's `pkg/resolution/resolver/hub`): Artifact Hub (default) or Tekton
 * Hub, `catalog`, `kind`, `name`, `version` (a version or a go-version constraint, resolved
 * against the package's version list).
 */
import { createHash } from "node:crypto";
import type { FeatureFlags } from "../../config/features.js";
import { ResolverConfigMap } from "../../config/resolvers.js";
import { OfflineError } from "./errors.js";
import { compareVersions, parseConstraint, parseVersion, satisfies, type Version } from "./hub-version.js";
import { messageOf } from "./params.js";
import type { Resolver, ResolverContext, ResolverParams } from "./resolver.js";

const ARTIFACT = "artifact";
const TEKTON = "tekton";
const SUPPORTED_KINDS = ["task", "pipeline", "stepaction"];

function catalogName(p: ResolverParams, conf: Readonly<Record<string, string>>): string {
  const th = conf["default-tekton-hub-catalog"];
  const ahTask = conf["default-artifact-hub-task-catalog"];
  const ahPipeline = conf["default-artifact-hub-pipeline-catalog"];
  if (th === undefined)
    throw new Error("default Tekton Hub catalog was not set during installation of the hub resolver");
  if (ahTask === undefined)
    throw new Error("default Artifact Hub task catalog was not set during installation of the hub resolver");
  if (ahPipeline === undefined)
    throw new Error(
      "default Artifact Hub pipeline catalog was not set during installation of the hub resolver",
    );
  if (p["catalog"] !== undefined) return p["catalog"];
  if (p["type"] === ARTIFACT) {
    if (p["kind"] === "task") return ahTask;
    if (p["kind"] === "pipeline") return ahPipeline;
    throw new Error(`failed to resolve catalog name with kind: ${p["kind"] ?? ""}`);
  }
  if (p["type"] === TEKTON) return th;
  throw new Error(`failed to resolve catalog name with type: ${p["type"] ?? ""}`);
}

/** Tekton's `populateDefaultParams` then `validateParams`, with its "failed to …" prefixes. */
export function hubParams(
  params: ResolverParams,
  conf: Readonly<Record<string, string>>,
  tektonHubUrl: string,
): ResolverParams {
  const p: ResolverParams = { ...params };
  try {
    if (p["type"] === undefined) {
      if (conf["default-type"] === undefined)
        throw new Error("default type was not set during installation of the hub resolver");
      p["type"] = conf["default-type"];
    }
    if (p["kind"] === undefined) {
      if (conf["default-kind"] === undefined)
        throw new Error("default resource kind was not set during installation of the hub resolver");
      p["kind"] = conf["default-kind"];
    }
    p["catalog"] = catalogName(p, conf);
  } catch (err) {
    throw new Error(`failed to populate default params: ${messageOf(err)}`);
  }
  const missing: string[] = [];
  if (p["name"] === undefined) missing.push("name");
  if (p["version"] === undefined) missing.push("version");
  let problem: string | undefined;
  if (!SUPPORTED_KINDS.includes(p["kind"] ?? ""))
    problem = `kind param must be one of: ${SUPPORTED_KINDS.join(", ")}`;
  else if (p["type"] !== ARTIFACT && p["type"] !== TEKTON)
    problem = `type param must be ${ARTIFACT} or ${TEKTON}`;
  else if (p["type"] === TEKTON && tektonHubUrl === "")
    problem = "please configure TEKTON_HUB_API env variable to use tekton type";
  else if (missing.length > 0) problem = `missing required hub resolver params: ${missing.join(", ")}`;
  if (problem !== undefined) throw new Error(`failed to validate params: ${problem}`);
  return p;
}

async function fetchJson(url: string, signal: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { Accept: "application/json" } });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    throw new Error(
      `requesting resource from Hub: Get ${JSON.stringify(url)}: ${messageOf((err as { cause?: unknown }).cause ?? err)}`,
    );
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`requested resource '${url}' not found on hub`);
  }
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`error unmarshalling json response: ${messageOf(err)}`);
  }
}

const field = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined),
    v,
  );

async function chooseVersion(
  p: ResolverParams,
  constraint: NonNullable<ReturnType<typeof parseConstraint>>,
  ctx: ResolverContext,
): Promise<string> {
  const hubName = p["type"] === ARTIFACT ? "Artifact Hub" : "Tekton Hub";
  const url =
    p["type"] === ARTIFACT
      ? `${ctx.settings.artifactHubApi}/api/v1/packages/tekton-${p["kind"] ?? ""}/${p["catalog"] ?? ""}/${p["name"] ?? ""}`
      : `${ctx.settings.tektonHubApi}/v1/resource/${p["catalog"] ?? ""}/${p["kind"] ?? ""}/${p["name"] ?? ""}`;
  let body: unknown;
  try {
    body = await fetchJson(url, ctx.signal);
  } catch (err) {
    throw new Error(`fail to fetch ${hubName} resource: ${messageOf(err)}`);
  }
  const list =
    (p["type"] === ARTIFACT ? field(body, "available_versions") : field(body, "data", "versions")) ?? [];
  let best: Version | undefined;
  for (const entry of Array.isArray(list) ? list : []) {
    if (p["type"] === ARTIFACT && field(entry, "prerelease") === true) continue;
    const text = String(field(entry, "version") ?? "");
    const v = parseVersion(text);
    if (v === undefined)
      throw new Error(`fail to parse version ${p["type"] ?? ""} from ${text}: Malformed version: ${text}`);
    if (satisfies(constraint, v) && (best === undefined || compareVersions(v, best) > 0)) best = v;
  }
  if (best === undefined) throw new Error(`no version found for constraint ${p["version"] ?? ""}`);
  return best.segments.join(".") + (best.prerelease ? `-${best.prerelease}` : "");
}

export const hubResolver: Resolver = {
  type: "hub",
  displayName: "Hub",
  configMap: ResolverConfigMap.Hub,
  enabled: (f: FeatureFlags) => f.enableHubResolver,
  disabledMessage: "cannot handle resolution request, enable-hub-resolver feature flag not true",
  validate: (params, conf, settings) => hubParams(params, conf, settings.tektonHubApi),
  async resolve(params, ctx) {
    const p = { ...params };
    if (ctx.settings.offline)
      throw new OfflineError(`offline: hub ${p["name"] ?? ""} ${p["version"] ?? ""} is not in the cache`);
    const constraint = parseConstraint(p["version"] ?? "");
    if (constraint !== undefined) p["version"] = await chooseVersion(p, constraint, ctx);
    const parts = (p["version"] ?? "").split(".");
    if (p["type"] === ARTIFACT && parts.length === 2) p["version"] = `${p["version"] ?? ""}.0`;
    else if (p["type"] === TEKTON && parts.length > 2) p["version"] = parts.slice(0, 2).join(".");
    const artifact = p["type"] === ARTIFACT;
    const url = artifact
      ? `${ctx.settings.artifactHubApi}/api/v1/packages/tekton-${p["kind"] ?? ""}/${p["catalog"] ?? ""}/${p["name"] ?? ""}/${p["version"] ?? ""}`
      : `${ctx.settings.tektonHubApi}/v1/resource/${p["catalog"] ?? ""}/${p["kind"] ?? ""}/${p["name"] ?? ""}/${p["version"] ?? ""}/yaml`;
    let body: unknown;
    try {
      body = await fetchJson(url, ctx.signal);
    } catch (err) {
      throw new Error(
        `fail to fetch ${artifact ? "Artifact Hub" : "Tekton Hub"} resource: ${messageOf(err)}`,
      );
    }
    const yaml = String((artifact ? field(body, "data", "manifestRaw") : field(body, "data", "yaml")) ?? "");
    const data = Buffer.from(yaml);
    return {
      data,
      annotations: {},
      refSource: { uri: url, digest: { sha256: createHash("sha256").update(data).digest("hex") } },
    };
  },
};
