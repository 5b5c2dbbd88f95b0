/**
 * Reading kubeconfig files the way kubectl does, for what tektite needs: the current (or named)
 * context's cluster (server URL, CA data or file, insecure-skip-tls-verify), user (token, token
 * file, client certificate) and namespace. Several files (`$KUBECONFIG=a:b`) merge, the first
 * file to define a name or `current-context` winning.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import YAML from "yaml";
import { ClientConfigError } from "./errors.js";

/** What a client needs to talk to one server. */
export interface Connection {
  server: string;
  token?: string;
  /** PEM of the CA to trust. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
  clientCert?: string;
  clientKey?: string;
  /** The context's namespace (default `default`). */
  namespace: string;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, { entry: Record<string, unknown>; dir: string }>;
  users: Map<string, { entry: Record<string, unknown>; dir: string }>;
  contexts: Map<string, Record<string, unknown>>;
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function addNamed(
  into: Map<string, { entry: Record<string, unknown>; dir: string }>,
  list: unknown,
  field: string,
  dir: string,
): void {
  if (!Array.isArray(list)) return;
  for (const item of list as Array<Record<string, unknown>>) {
    const name = str(item["name"]);
    if (name !== undefined && !into.has(name)) into.set(name, { entry: record(item[field]), dir });
  }
}

/** Merges the existing files of `paths` (missing ones are skipped, as kubectl does). */
export function loadKubeconfigs(paths: string[]): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const path of paths) {
    if (!existsSync(path)) continue;
    let doc: Record<string, unknown>;
    try {
      doc = record(YAML.parse(readFileSync(path, "utf8")));
    } catch (err) {
      throw new ClientConfigError(
        `cannot read kubeconfig ${path}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const dir = dirname(resolve(path));
    merged.currentContext ??= str(doc["current-context"]);
    addNamed(merged.clusters, doc["clusters"], "cluster", dir);
    addNamed(merged.users, doc["users"], "user", dir);
    const contexts = new Map<string, { entry: Record<string, unknown>; dir: string }>();
    addNamed(contexts, doc["contexts"], "context", dir);
    for (const [name, c] of contexts) if (!merged.contexts.has(name)) merged.contexts.set(name, c.entry);
  }
  return merged;
}

function readRelative(file: string, dir: string, what: string): string {
  const path = isAbsolute(file) ? file : resolve(dir, file);
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new ClientConfigError(`cannot read the ${what} file ${path} named in the kubeconfig`);
  }
}

function dataOrFile(entry: Record<string, unknown>, key: string, dir: string): string | undefined {
  const data = str(entry[`${key}-data`]);
  if (data !== undefined) return Buffer.from(data, "base64").toString("utf8");
  const file = str(entry[key]);
  return file !== undefined ? readRelative(file, dir, key) : undefined;
}

/**
 * The connection of a context (`context`, else `current-context`), or undefined when the files
 * define no usable context.
 */
export function connectionFromKubeconfig(merged: Merged, context?: string): Connection | undefined {
  const name = context ?? merged.currentContext;
  if (name === undefined) return undefined;
  const ctx = merged.contexts.get(name);
  if (ctx === undefined) {
    if (context !== undefined)
      throw new ClientConfigError(`context "${context}" does not exist in the kubeconfig`);
    return undefined;
  }
  const clusterName = str(ctx["cluster"]);
  const cluster = clusterName !== undefined ? merged.clusters.get(clusterName) : undefined;
  const server = cluster ? str(cluster.entry["server"]) : undefined;
  if (cluster === undefined || server === undefined) {
    throw new ClientConfigError(
      `context "${name}" names cluster "${clusterName ?? ""}", which has no server in the kubeconfig`,
    );
  }
  const userName = str(ctx["user"]);
  const user = userName !== undefined ? merged.users.get(userName) : undefined;
  const conn: Connection = {
    server,
    insecureSkipTlsVerify: cluster.entry["insecure-skip-tls-verify"] === true,
    namespace: str(ctx["namespace"]) ?? "default",
  };
  const ca = dataOrFile(cluster.entry, "certificate-authority", cluster.dir);
  if (ca !== undefined) conn.ca = ca;
  if (user !== undefined) {
    const tokenFile = str(user.entry["tokenFile"]);
    const token =
      str(user.entry["token"]) ??
      (tokenFile !== undefined ? readRelative(tokenFile, user.dir, "token").trim() : undefined);
    if (token !== undefined) conn.token = token;
    const cert = dataOrFile(user.entry, "client-certificate", user.dir);
    const key = dataOrFile(user.entry, "client-key", user.dir);
    if (cert !== undefined) conn.clientCert = cert;
    if (key !== undefined) conn.clientKey = key;
  }
  return conn;
}
