/** Small helpers shared by the resolvers for reading params, config and secrets as Tekton does. */
import { secretStringValues } from "../../api/convert.js";
import type { Param, Secret } from "../../api/types.js";
import { durationToMs, parseGoDuration } from "../../api/duration.js";
import type { ObjectReader, ResolverParams } from "./resolver.js";

/** Tekton reads each param's `StringVal`: arrays and objects count as "". */
export function paramMap(params: readonly Param[] | undefined): ResolverParams {
  const out: ResolverParams = {};
  for (const p of params ?? []) out[p.name] = typeof p.value === "string" ? p.value : "";
  return out;
}

/** A `fetch-timeout`-style Go duration in ms; throws Go's message when it does not parse. */
export function configDurationMs(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  return durationToMs(parseGoDuration(value));
}

/** `true` for a comma list entry equal to `value` (Tekton's `isInCommaSeparatedList`). */
export function inCommaList(value: string, list: string | undefined): boolean {
  return (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .some((s) => s !== "" && s === value);
}

/**
 * A Secret's key, or Tekton's message naming what is missing. `what` is the phrase Tekton uses
 * ("API token" for git and http).
 */
export function secretValue(objects: ObjectReader, namespace: string, name: string, key: string): string {
  const secret = objects<Secret>("Secret", namespace, name);
  if (secret === undefined) {
    throw new Error(`cannot get API token, secret ${name} not found in namespace ${namespace}`);
  }
  const value = secretStringValues(secret)[key];
  if (value === undefined) {
    throw new Error(`cannot get API token, key ${key} not found in secret ${name} in namespace ${namespace}`);
  }
  return value;
}

/** An error's message for wrapping, as Go's `%v` prints it. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
