/**
 * The bearer token, kept for this tab only (sessionStorage), and the namespace choice (kept in
 * localStorage). The token is never put in a URL.
 *
 * @module
 */

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { ApiClient } from "./api.js";

const TOKEN_KEY = "tektite.token";
const NAMESPACE_KEY = "tektite.namespace";
/** The namespace selector's value for "all namespaces". */
export const ALL_NAMESPACES = "*";

/** The saved token, if any. */
export function savedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Checks a token against the server; saves it when accepted. */
export async function logIn(token: string): Promise<boolean> {
  const res = await fetch("/api", { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
  if (!res.ok) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  return true;
}

/** Forgets the token. */
export function logOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The selected namespace (`default` at first). */
export function savedNamespace(): string {
  return localStorage.getItem(NAMESPACE_KEY) ?? "default";
}

/** Remembers the selected namespace. */
export function saveNamespace(ns: string): void {
  localStorage.setItem(NAMESPACE_KEY, ns);
}

/** What every page reads: the client and the selected namespace. */
export interface Session {
  api: ApiClient;
  namespace: string;
  setNamespace(ns: string): void;
}

/** The session context. */
export const SessionContext = createContext<Session | undefined>(undefined);

/** The session (inside the logged-in layout). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error("useSession outside the logged-in layout");
  return s;
}
