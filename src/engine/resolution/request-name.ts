/**
 * The deterministic ResolutionRequest name Tekton's controller derives, so a run's ref maps to
 * the same request on every reconcile: `<resolver>-<fnv128a(ns/name + sorted params + url)>`.
 */
import type { Param } from "../../api/types.js";

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

function fnv128a(bytes: Uint8Array, seed: bigint = FNV128_OFFSET): bigint {
  let h = seed;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV128_PRIME) & MASK128;
  }
  return h;
}

const MAX_NAME = 63;

/** `GenerateDeterministicNameFromSpec(resolver, ns/owner, {params, url})`. */
export function resolutionRequestName(
  resolver: string,
  base: string,
  params: readonly Param[],
  url = "",
): string {
  const enc = new TextEncoder();
  let h = fnv128a(enc.encode(base));
  const sorted = [...params].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of sorted) {
    h = fnv128a(enc.encode(p.name), h);
    h = fnv128a(enc.encode(typeof p.value === "string" ? p.value : JSON.stringify(p.value)), h);
  }
  if (url !== "") h = fnv128a(enc.encode(url), h);
  const hex = h.toString(16).padStart(32, "0");
  const maxPrefix = MAX_NAME - hex.length - 1;
  return `${resolver.slice(0, maxPrefix)}-${hex}`;
}
