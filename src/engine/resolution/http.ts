/**
 * The http resolver (Tekton's `pkg/resolution/resolver/http`): GET `url`, optionally with basic
 * auth from a Secret, optionally checking a `digest`; at most 1 MiB.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FeatureFlags } from "../../config/features.js";
import { ResolverConfigMap } from "../../config/resolvers.js";
import { mapUrl } from "../../config/url-map.js";
import { OfflineError } from "./errors.js";
import { configDurationMs, messageOf, secretValue } from "./params.js";
import type { Resolver, ResolverParams } from "./resolver.js";

const MAX_BODY = 1024 * 1024;

/** Tekton's `PopulateDefaultParams`. */
export function httpParams(params: ResolverParams): ResolverParams {
  const missing: string[] = [];
  const url = params["url"];
  if (url === undefined) missing.push("url");
  else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (err) {
      throw new Error(`cannot parse url ${url}: parse ${JSON.stringify(url)}: ${messageOf(err)}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error(`url ${url} is not a valid http(s) url`);
    }
  }
  const user = params["http-username"];
  const secret = params["http-password-secret"];
  if (user !== undefined) {
    if (secret === undefined)
      throw new Error("missing required param http-password-secret when using http-username");
    if (user === "") throw new Error("value http-username cannot be empty");
  }
  if (secret !== undefined) {
    if (user === undefined)
      throw new Error("missing required param http-username when using http-password-secret");
    if (secret === "") throw new Error("value http-password-secret cannot be empty");
  }
  if (missing.length > 0) throw new Error(`missing required http resolver params: ${missing.join(", ")}`);
  return { ...params };
}

function checkDigest(digest: string, body: Buffer): void {
  const parts = digest.split(":");
  if (parts.length < 2) throw new Error(`invalid digest format: ${digest}`);
  const algo = parts[0] ?? "";
  const value = parts.slice(1).join(":");
  if (algo !== "sha256" && algo !== "sha512") throw new Error(`invalid digest algorithm: ${algo}`);
  const want = algo === "sha256" ? 64 : 128;
  if (value.length !== want)
    throw new Error(`invalid ${algo} digest value, expected length: ${want}, got: ${value.length}`);
  const actual = createHash(algo).update(body).digest();
  const expected = Buffer.from(value, "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new Error(`SHA mismatch, expected ${value}, got ${actual.toString("hex")}`);
  }
}

export const httpResolver: Resolver = {
  type: "http",
  displayName: "Http",
  configMap: ResolverConfigMap.Http,
  enabled: (f: FeatureFlags) => f.enableHttpResolver,
  disabledMessage: "cannot handle resolution request, enable-http-resolver feature flag not true",
  validate: (params) => httpParams(params),
  async resolve(params, ctx) {
    const url = params["url"] ?? "";
    if (ctx.settings.offline) throw new OfflineError(`offline: ${url} is not in the cache`);
    const headers: Record<string, string> = {};
    const secret = params["http-password-secret"];
    if (secret) {
      const key = params["http-password-secret-key"] || "password";
      const password = secretValue(ctx.objects, ctx.namespace, secret, key);
      headers["Authorization"] =
        `Basic ${Buffer.from(`${params["http-username"] ?? ""}:${password}`).toString("base64")}`;
    }
    let res: Response;
    try {
      // A mirror from the URL map serves the same file: provenance names the URL asked for.
      res = await fetch(mapUrl(url, ctx.settings.urlMap), {
        headers,
        signal: ctx.signal,
        redirect: "follow",
      });
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const cause = (err as { cause?: unknown }).cause;
      throw new Error(`error fetching URL: Get ${JSON.stringify(url)}: ${messageOf(cause ?? err)}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`requested URL '${url}' is not found`);
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_BODY)
      throw new Error(`response body exceeds maximum allowed size of ${MAX_BODY} bytes`);
    if (params["digest"] !== undefined) {
      try {
        checkDigest(params["digest"], body);
      } catch (err) {
        throw new Error(`error validating digest: ${messageOf(err)}`);
      }
    }
    return {
      data: body,
      annotations: {},
      refSource: { uri: url, digest: { sha256: createHash("sha256").update(body).digest("hex") } },
    };
  },
  timeoutMs: (config) => configDurationMs(config["fetch-timeout"], 60_000),
};
