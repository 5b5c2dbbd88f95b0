/**
 * The git resolver (Tekton's `pkg/resolution/resolver/git`): anonymous clone of `url` at
 * `revision`, or the SCM API (`repo` + `org`, see git-scm.ts); the file at `pathInRepo`.
 * Clones are kept under the cache directory by commit, so a commit revision resolved once is
 * read again without the network.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync } from "node:fs";
import { isAbsolute, join, relative, resolve as resolvePath } from "node:path";
import type { FeatureFlags } from "../../config/features.js";
import { ResolverConfigMap, type ResolverSettings } from "../../config/resolvers.js";
import { mapUrl } from "../../config/url-map.js";
import { OfflineError } from "./errors.js";
import { runGit, type GitAuth } from "./git-cli.js";
import { resolveViaScm } from "./git-scm.js";
import { configDurationMs, secretValue } from "./params.js";
import type { ResolvedResource, Resolver, ResolverContext, ResolverParams } from "./resolver.js";

const CONFIG_KEYS = [
  "fetch-timeout",
  "default-url",
  "default-revision",
  "default-org",
  "server-url",
  "scm-type",
  "api-token-secret-name",
  "api-token-secret-key",
  "api-token-secret-namespace",
] as const;

/**
 * Tekton's `GetScmConfigForParamConfigKey`: unprefixed keys form the "default" configuration,
 * `<configKey>.<key>` entries another one.
 */
export function scmConfig(
  config: Readonly<Record<string, string>>,
  configKey: string | undefined,
): Record<string, string> {
  const groups = new Map<string, Record<string, string>>();
  for (const [k, v] of Object.entries(config)) {
    const dot = k.indexOf(".");
    const group = dot < 0 ? "default" : k.slice(0, dot);
    const key = dot < 0 ? k : k.slice(dot + 1);
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) continue;
    const g = groups.get(group) ?? {};
    g[key] = v;
    groups.set(group, g);
  }
  if (configKey === undefined) return groups.get("default") ?? {};
  const found = groups.get(configKey);
  if (found === undefined) throw new Error(`no git resolver configuration found for configKey ${configKey}`);
  return found;
}

const REPO_URL = /^([^@]+@[^:]+|(git|ssh|ftps?|https?|file):\/\/)/;

function validUrl(url: string): boolean {
  // tektite also accepts file:// URLs and local paths (Tekton's resolver runs in a pod without them).
  return REPO_URL.test(url) || isAbsolute(url);
}

const isLocalRepo = (url: string): boolean => url.startsWith("file://") || isAbsolute(url);

/** Tekton's `PopulateDefaultParams`, plus tektite's refusal of local repositories where not allowed. */
export function gitParams(
  params: ResolverParams,
  config: Readonly<Record<string, string>>,
  settings?: Pick<ResolverSettings, "allowLocalGit">,
): ResolverParams {
  const conf = scmConfig(config, params["configKey"]);
  const out: ResolverParams = { ...params };
  const missing: string[] = [];
  if (out["revision"] === undefined) {
    if (conf["default-revision"]) out["revision"] = conf["default-revision"];
    else missing.push("revision");
  }
  if (out["pathInRepo"] === undefined) missing.push("pathInRepo");
  if (out["url"] && out["repo"]) throw new Error("cannot specify both 'url' and 'repo'");
  if (!out["url"] && !out["repo"]) {
    if (conf["default-url"]) out["url"] = conf["default-url"];
    else throw new Error("must specify one of 'url' or 'repo'");
  }
  if (out["repo"] && out["org"] === undefined) {
    if (conf["default-org"]) out["org"] = conf["default-org"];
    else throw new Error("'org' is required when 'repo' is specified");
  }
  if (missing.length > 0) throw new Error(`missing required git resolver params: ${missing.join(", ")}`);
  if ((out["revision"] ?? "").startsWith("-")) {
    throw new Error(`invalid revision ${JSON.stringify(out["revision"])}: must not begin with '-'`);
  }
  if (!out["repo"] && !out["org"] && !validUrl(out["url"] ?? "")) {
    throw new Error(`invalid git repository url: ${out["url"] ?? ""}`);
  }
  // Only the run's own url: the ConfigMap's default-url is the operator's choice, as the URL map is.
  const asked = params["url"];
  if (asked && settings?.allowLocalGit === false && isLocalRepo(asked)) {
    throw new Error(
      `local repository ${JSON.stringify(asked)} refused: this server reads local paths and file:// URLs only when started with --allow-local-git (resolution.allowLocalGit)`,
    );
  }
  const path = (out["pathInRepo"] ?? "").replace(/^\/+/, "");
  if (path.split("/").includes("..")) {
    throw new Error(`invalid path ${JSON.stringify(path)}: must not contain '..' components`);
  }
  out["pathInRepo"] = path;
  return out;
}

const isCommit = (rev: string): boolean => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(rev);

/** Reads `path` inside `dir`, refusing anything that leaves it (symlinks included). */
function readInRepo(dir: string, path: string): Buffer {
  const root = realpathSync(dir);
  const target = resolvePath(root, path);
  if (!existsSync(target)) throw new Error("file does not exist");
  const real = realpathSync(target);
  const rel = relative(root, real);
  if (rel.split("/").includes("..") || isAbsolute(rel)) {
    throw new Error(
      `path ${JSON.stringify(path)} attempts to escape the repository directory (possible path traversal attack)`,
    );
  }
  return readFileSync(real);
}

function spdxGit(url: string): string {
  return `git+${url}`;
}

function resource(
  url: string,
  commit: string,
  path: string,
  content: Buffer,
  extra: Record<string, string> = {},
): ResolvedResource {
  return {
    data: content,
    annotations: {
      "resolution.tekton.dev/revision": commit,
      "resolution.tekton.dev/path": path,
      "resolution.tekton.dev/url": url,
      "content-type": "application/x-yaml",
      ...extra,
    },
    refSource: { uri: spdxGit(url), digest: { sha1: commit }, entryPoint: path },
  };
}

async function cloneAt(
  url: string,
  revision: string,
  ctx: ResolverContext,
  auth: GitAuth | undefined,
): Promise<{ dir: string; commit: string }> {
  const clones = join(ctx.cacheDir, "git");
  const key = createHash("sha256").update(url).digest("hex").slice(0, 16);
  if (isCommit(revision)) {
    const cached = join(clones, `${key}-${revision}`);
    if (existsSync(cached)) return { dir: cached, commit: revision };
  }
  if (ctx.settings.offline) throw new OfflineError(`offline: ${url} at ${revision} is not in the cache`);
  mkdirSync(clones, { recursive: true });
  const tmp = mkdtempSync(join(clones, `.clone-${key}-`));
  const opts = { signal: ctx.signal, env: ctx.settings.gitEnv, ...(auth ? { auth } : {}) };
  try {
    try {
      await runGit(tmp, ["clone", "--depth=1", "--no-checkout", "--", url, tmp], opts);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (text.includes("could not read Username"))
        throw new Error("error resolving repository: clone error: authentication required");
      throw new Error(`error resolving repository: ${text}`);
    }
    await runGit(tmp, ["fetch", "origin", "--depth=1", "--", revision], opts);
    await runGit(tmp, ["checkout", "FETCH_HEAD"], opts);
    const commit = (await runGit(tmp, ["rev-list", "-n1", "HEAD"], opts)).trim();
    const dir = join(clones, `${key}-${commit}`);
    if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
    else renameSync(tmp, dir);
    return { dir, commit };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function resolveViaClone(params: ResolverParams, ctx: ResolverContext): Promise<ResolvedResource> {
  const url = params["url"] ?? "";
  const revision = params["revision"] ?? "";
  const path = params["pathInRepo"] ?? "";
  let auth: GitAuth | undefined;
  if (params["gitToken"]) {
    const key = params["gitTokenKey"] || "token";
    auth = { username: "git", password: secretValue(ctx.objects, ctx.namespace, params["gitToken"], key) };
  }
  // A mirror from the URL map serves the same repository: provenance names the URL asked for.
  const { dir, commit } = await cloneAt(mapUrl(url, ctx.settings.urlMap), revision, ctx, auth);
  let content: Buffer;
  try {
    content = readInRepo(dir, path);
  } catch (err) {
    throw new Error(
      `error opening file ${JSON.stringify(path)}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return resource(url, commit, path, content);
}

export const gitResolver: Resolver = {
  type: "git",
  displayName: "Git",
  configMap: ResolverConfigMap.Git,
  enabled: (f: FeatureFlags) => f.enableGitResolver,
  disabledMessage: "cannot handle resolution request, enable-git-resolver feature flag not true",
  validate: gitParams,
  async resolve(params, ctx) {
    if (params["url"]) return resolveViaClone(params, ctx);
    if (ctx.settings.offline)
      throw new OfflineError(
        `offline: the SCM API of ${params["org"] ?? ""}/${params["repo"] ?? ""} is not reachable`,
      );
    const out = await resolveViaScm(params, scmConfig(ctx.config, params["configKey"]), ctx);
    return resource(out.url, out.commit, out.path, out.content, {
      "resolution.tekton.dev/org": params["org"] ?? "",
      "resolution.tekton.dev/repo": params["repo"] ?? "",
    });
  },
  timeoutMs: (config) => configDurationMs(scmConfig(config, undefined)["fetch-timeout"], 60_000),
};
