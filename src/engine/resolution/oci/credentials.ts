/**
 * Registry credentials as Kubernetes' keychain finds them: docker config JSON Secrets
 * (`kubernetes.io/dockerconfigjson`'s `.dockerconfigjson`, `kubernetes.io/dockercfg`'s
 * `.dockercfg`) named directly or through a ServiceAccount's `imagePullSecrets`.
 */
import { secretStringValues } from "../../../api/convert.js";
import type { Secret, ServiceAccount } from "../../../api/types.js";
import type { ObjectReader } from "../resolver.js";
import type { Credentials } from "./client.js";

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

function entries(secret: Secret): Record<string, AuthEntry> {
  const values = secretStringValues(secret);
  const json = values[".dockerconfigjson"];
  if (json !== undefined) {
    const parsed = JSON.parse(json) as { auths?: Record<string, AuthEntry> };
    return parsed.auths ?? {};
  }
  const cfg = values[".dockercfg"];
  if (cfg !== undefined) return JSON.parse(cfg) as Record<string, AuthEntry>;
  return {};
}

function hostOf(key: string): string {
  return key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
}

function matches(key: string, registry: string): boolean {
  const host = hostOf(key);
  if (host === registry) return true;
  const dockerHub = ["index.docker.io", "docker.io", "registry-1.docker.io"];
  return dockerHub.includes(registry) && dockerHub.includes(host);
}

function toCredentials(e: AuthEntry): Credentials | undefined {
  if (e.username !== undefined && e.password !== undefined)
    return { username: e.username, password: e.password };
  if (e.auth === undefined) return undefined;
  const text = Buffer.from(e.auth, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Credentials for `registry` from the named Secret, then the ServiceAccount's pull secrets. */
export function registryCredentials(
  objects: ObjectReader,
  namespace: string,
  registry: string,
  opts: { secret?: string; serviceAccount: string },
): Credentials | undefined {
  const names: string[] = [];
  if (opts.secret) names.push(opts.secret);
  const sa = objects<ServiceAccount>("ServiceAccount", namespace, opts.serviceAccount);
  const pull = (sa as { imagePullSecrets?: Array<{ name?: string }> } | undefined)?.imagePullSecrets ?? [];
  for (const ref of pull) if (ref.name) names.push(ref.name);
  for (const name of names) {
    const secret = objects<Secret>("Secret", namespace, name);
    if (secret === undefined) continue;
    for (const [key, entry] of Object.entries(entries(secret))) {
      if (!matches(key, registry)) continue;
      const creds = toCredentials(entry);
      if (creds !== undefined) return creds;
    }
  }
  return undefined;
}
