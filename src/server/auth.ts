/**
 * Bearer-token authentication. The token is made once, at first start, into `<dataDir>/token`
 * (mode 0600) and reused afterwards; `tektite kubeconfig` reads it from there.
 *
 * @module
 */

import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** File name of the token inside the data directory. */
export const TOKEN_FILE = "token";

/** Paths served without a token (health and version, as the Kubernetes API server allows). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/healthz", "/livez", "/readyz", "/version"]);

/** The token file's path. */
export function tokenPath(dataDir: string): string {
  return join(dataDir, TOKEN_FILE);
}

/** Reads the token, or undefined when it has not been created yet. */
export function readToken(dataDir: string): string | undefined {
  const path = tokenPath(dataDir);
  if (!existsSync(path)) return undefined;
  const token = readFileSync(path, "utf8").trim();
  return token === "" ? undefined : token;
}

/** Reads the token, creating it (0600) when missing. */
export function ensureToken(dataDir: string): string {
  const existing = readToken(dataDir);
  if (existing !== undefined) {
    chmodSync(tokenPath(dataDir), 0o600);
    return existing;
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString("hex");
  writeFileSync(tokenPath(dataDir), `${token}\n`, { mode: 0o600 });
  chmodSync(tokenPath(dataDir), 0o600);
  return token;
}

/** Whether an `Authorization` header carries exactly this bearer token (constant time). */
export function isAuthorized(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m || m[1] === undefined) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
