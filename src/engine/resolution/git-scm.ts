/**
 * The git resolver's SCM-API mode (`repo`, `org`, `token`, `tokenKey`, `scmType`, `serverURL`):
 * the file, the revision's commit and the clone URL through GitHub's, GitLab's or Gitea's REST
 * API, as Tekton's resolver does through go-scm.
 */
import { secretValue } from "./params.js";
import type { ResolverContext, ResolverParams } from "./resolver.js";

export interface ScmContent {
  content: Buffer;
  commit: string;
  url: string;
  path: string;
}

interface ScmApi {
  base: string;
  headers: Record<string, string>;
  /** How the API names `org/repo` in its routes. */
  repoPath(org: string, repo: string): string;
  contents(orgRepo: string, path: string, ref: string): string;
  commit(orgRepo: string, ref: string): string;
  repo(orgRepo: string): string;
  pick(kind: "content" | "commit" | "clone", body: Record<string, unknown>): string;
}

/**
 * One path segment, escaped so that it stays one: org, repo, path and ref cannot leave the
 * repository's API routes while a token is attached (dots too, or `..` would climb them).
 */
const enc = (x: string): string => encodeURIComponent(x).replace(/\./g, "%2E");
const encPath = (p: string): string => p.split("/").map(enc).join("/");

/** go-scm's `ensureGHEEndpoint`: github.com means api.github.com, other hosts their `/api/v3`. */
function githubBase(serverURL: string): string {
  if (serverURL === "") return "https://api.github.com";
  if (serverURL.startsWith("https://github.com") || serverURL.startsWith("http://github.com"))
    return "https://api.github.com";
  return serverURL.includes("/api/")
    ? serverURL.replace(/\/+$/, "")
    : `${serverURL.replace(/\/+$/, "")}/api/v3`;
}

const trimRef = (ref: string): string => ref.replace(/^refs\/(heads|tags)\//, "");

/** The client go-scm's `factory.NewClient` builds (an empty type is GitHub there too). */
function api(scmType: string, serverURL: string, token: string): ScmApi {
  const trimmed = serverURL.replace(/\/+$/, "");
  switch (scmType || "github") {
    case "github":
      return {
        base: githubBase(serverURL),
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        repoPath: (o, r) => `${enc(o)}/${enc(r)}`,
        contents: (r, p, ref) => `/repos/${r}/contents/${encPath(p)}?ref=${enc(ref)}`,
        commit: (r, ref) => `/repos/${r}/commits/${enc(ref)}`,
        repo: (r) => `/repos/${r}`,
        pick: (kind, b) =>
          String(kind === "content" ? b["content"] : kind === "commit" ? b["sha"] : b["clone_url"]),
      };
    case "gitlab":
      return {
        base: `${trimmed === "" ? "https://gitlab.com" : trimmed}/api/v4`,
        headers: token ? { "PRIVATE-TOKEN": token } : {},
        repoPath: (o, r) => enc(`${o}/${r}`),
        contents: (r, p, ref) => `/projects/${r}/repository/files/${enc(p)}?ref=${enc(ref)}`,
        commit: (r, ref) => `/projects/${r}/repository/commits/${enc(trimRef(ref))}`,
        repo: (r) => `/projects/${r}`,
        pick: (kind, b) =>
          String(kind === "content" ? b["content"] : kind === "commit" ? b["id"] : b["http_url_to_repo"]),
      };
    case "gitea":
      if (trimmed === "") throw new Error("failed to create SCM client: no git serverURL was specified");
      return {
        base: `${trimmed}/api/v1`,
        headers: token ? { Authorization: `token ${token}` } : {},
        repoPath: (o, r) => `${enc(o)}/${enc(r)}`,
        contents: (r, p, ref) => `/repos/${r}/contents/${encPath(p)}?ref=${enc(ref)}`,
        commit: (r, ref) => `/repos/${r}/git/commits/${enc(ref)}`,
        repo: (r) => `/repos/${r}`,
        pick: (kind, b) =>
          String(kind === "content" ? b["content"] : kind === "commit" ? b["sha"] : b["clone_url"]),
      };
    default:
      throw new Error(`failed to create SCM client: unsupported $GIT_KIND value: ${scmType}`);
  }
}

async function getJson(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { Accept: "application/json", ...headers }, signal });
  const text = await res.text();
  if (!res.ok) throw new Error(apiError(res, text));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`unexpected response from ${url}: not JSON`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error(`unexpected response from ${url}`);
  return body as Record<string, unknown>;
}

/** go-scm's error text: the API's `message`, else the HTTP status. */
function apiError(res: Response, text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    const message = (body as { message?: unknown } | null)?.message;
    if (typeof message === "string" && message !== "") return message;
  } catch {
    // not JSON: fall back to the status
  }
  return `${res.status} ${res.statusText}`;
}

/** Resolves through the SCM API; `conf` is the git resolver's config for the request's configKey. */
export async function resolveViaScm(
  params: ResolverParams,
  conf: Record<string, string>,
  ctx: ResolverContext,
): Promise<ScmContent> {
  const scmType = params["scmType"] || conf["scm-type"] || "";
  const serverURL = params["serverURL"] || conf["server-url"] || "";
  let token: string;
  if (params["token"]) {
    token = secretValue(ctx.objects, ctx.namespace, params["token"], params["tokenKey"] || "token");
  } else {
    if (params["serverURL"] && params["serverURL"] !== (conf["server-url"] ?? "")) {
      throw new Error(
        `custom serverURL ${JSON.stringify(params["serverURL"])} requires a token parameter; the system token cannot be sent to a non-default server URL`,
      );
    }
    const name = conf["api-token-secret-name"] ?? "";
    const key = conf["api-token-secret-key"] ?? "";
    if (name === "")
      throw new Error(
        "cannot get API token, required when specifying 'repo' param, 'api-token-secret-name' not specified in config",
      );
    if (key === "")
      throw new Error(
        "cannot get API token, required when specifying 'repo' param, 'api-token-secret-key' not specified in config",
      );
    token = secretValue(ctx.objects, conf["api-token-secret-namespace"] || "default", name, key);
  }
  const client = api(scmType, serverURL, token);
  const orgRepo = `${params["org"] ?? ""}/${params["repo"] ?? ""}`;
  const path = params["pathInRepo"] ?? "";
  const ref = params["revision"] ?? "";
  const route = client.repoPath(params["org"] ?? "", params["repo"] ?? "");
  let content: Buffer;
  try {
    const body = await getJson(client.base + client.contents(route, path, ref), client.headers, ctx.signal);
    content = Buffer.from(client.pick("content", body), "base64");
  } catch (err) {
    throw new Error(`couldn't fetch resource content: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (content.length === 0) throw new Error(`no content for resource in ${orgRepo} ${path}`);
  let commit: string;
  try {
    commit = client.pick(
      "commit",
      await getJson(client.base + client.commit(route, ref), client.headers, ctx.signal),
    );
  } catch (err) {
    throw new Error(
      `couldn't fetch the commit sha for the ref ${ref} in the repo: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let url: string;
  try {
    url = client.pick("clone", await getJson(client.base + client.repo(route), client.headers, ctx.signal));
  } catch (err) {
    throw new Error(`couldn't fetch repository: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { content, commit, url, path };
}
