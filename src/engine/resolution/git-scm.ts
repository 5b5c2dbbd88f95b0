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
  contents(orgRepo: string, path: string, ref: string): string;
  commit(orgRepo: string, ref: string): string;
  repo(orgRepo: string): string;
  pick(kind: "content" | "commit" | "clone", body: Record<string, unknown>): string;
}

const enc = encodeURIComponent;
const encPath = (p: string): string => p.split("/").map(enc).join("/");

function api(scmType: string, serverURL: string, token: string): ScmApi {
  const trimmed = serverURL.replace(/\/+$/, "");
  switch (scmType) {
    case "github":
      return {
        base:
          trimmed === "" || trimmed === "https://github.com" ? "https://api.github.com" : `${trimmed}/api/v3`,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
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
        contents: (r, p, ref) => `/projects/${enc(r)}/repository/files/${enc(p)}?ref=${enc(ref)}`,
        commit: (r, ref) => `/projects/${enc(r)}/repository/commits/${enc(ref)}`,
        repo: (r) => `/projects/${enc(r)}`,
        pick: (kind, b) =>
          String(kind === "content" ? b["content"] : kind === "commit" ? b["id"] : b["http_url_to_repo"]),
      };
    case "gitea":
      return {
        base: `${trimmed}/api/v1`,
        headers: token ? { Authorization: `token ${token}` } : {},
        contents: (r, p, ref) => `/repos/${r}/contents/${encPath(p)}?ref=${enc(ref)}`,
        commit: (r, ref) => `/repos/${r}/git/commits/${enc(ref)}`,
        repo: (r) => `/repos/${r}`,
        pick: (kind, b) =>
          String(kind === "content" ? b["content"] : kind === "commit" ? b["sha"] : b["clone_url"]),
      };
    default:
      throw new Error(`failed to create SCM client: Unsupported $GIT_KIND value: ${scmType}`);
  }
}

async function getJson(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { Accept: "application/json", ...headers }, signal });
  const text = await res.text();
  if (!res.ok)
    throw new Error(res.status === 404 ? "Not Found" : `${res.status} ${res.statusText}: ${text.trim()}`);
  const body: unknown = JSON.parse(text);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error(`unexpected response from ${url}`);
  return body as Record<string, unknown>;
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
  let content: Buffer;
  try {
    const body = await getJson(client.base + client.contents(orgRepo, path, ref), client.headers, ctx.signal);
    content = Buffer.from(client.pick("content", body), "base64");
  } catch (err) {
    throw new Error(`couldn't fetch resource content: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (content.length === 0) throw new Error(`no content for resource in ${orgRepo} ${path}`);
  let commit: string;
  try {
    commit = client.pick(
      "commit",
      await getJson(client.base + client.commit(orgRepo, ref), client.headers, ctx.signal),
    );
  } catch (err) {
    throw new Error(
      `couldn't fetch the commit sha for the ref ${ref} in the repo: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let url: string;
  try {
    url = client.pick("clone", await getJson(client.base + client.repo(orgRepo), client.headers, ctx.signal));
  } catch (err) {
    throw new Error(`couldn't fetch repository: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { content, commit, url, path };
}
