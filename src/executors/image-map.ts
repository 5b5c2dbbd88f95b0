/**
 * Image maps: replace the images a Task names (often registry images, digest-pinned) with images
 * available locally, such as tektite's stand-ins (`images/image-map.yaml`).
 *
 * Matching rules:
 * - References are normalised as Docker's reference grammar does (`./image-ref.ts`): `ubuntu`,
 *   `docker.io/ubuntu` and `index.docker.io/library/ubuntu` are `docker.io/library/ubuntu`.
 * - A `from` without tag or digest matches the repository with any tag or digest
 *   (`mirror.gcr.io/bash` matches `mirror.gcr.io/bash@sha256:…` and `mirror.gcr.io/bash:5.1`).
 *   A `from` with a tag or digest matches only that tag or digest; an image written without tag
 *   or digest has the tag `latest`.
 * - `*` in `from` matches any run of characters (`mirror.gcr.io/*`), against the repository
 *   alone or the full reference.
 * - Entries are tried in order, exact ones before globs; the first match wins. Command-line
 *   entries come before file entries (put them first in the list).
 */
import { parse as parseYaml } from "yaml";
import { effectiveTag, formatImageRef, parseImageRef } from "./image-ref.js";

/** One `FROM=TO` rule. */
export interface ImageMapEntry {
  from: string;
  to: string;
}

/** An ordered list of rules. */
export type ImageMap = readonly ImageMapEntry[];

/** Parses one `--image-map FROM=TO` value. Throws on a malformed value. */
export function parseImageMapArg(arg: string): ImageMapEntry {
  const eq = arg.indexOf("=");
  const from = eq > 0 ? arg.slice(0, eq).trim() : "";
  const to = eq > 0 ? arg.slice(eq + 1).trim() : "";
  if (from === "" || to === "") throw new Error(`invalid image map "${arg}": expected FROM=TO`);
  return { from, to };
}

/**
 * Parses an image-map file: a YAML mapping `FROM: TO` (order kept), or a list of `{from, to}`.
 * Throws with the offending entry when the shape is wrong.
 */
export function parseImageMapFile(text: string): ImageMapEntry[] {
  const doc: unknown = parseYaml(text);
  if (doc === null || doc === undefined) return [];
  const entries: ImageMapEntry[] = [];
  if (Array.isArray(doc)) {
    for (const item of doc as unknown[]) {
      const e = item as { from?: unknown; to?: unknown } | null;
      if (typeof e?.from !== "string" || typeof e.to !== "string") {
        throw new Error(`invalid image map entry ${JSON.stringify(item)}: expected {from, to}`);
      }
      entries.push({ from: e.from, to: e.to });
    }
    return entries;
  }
  if (typeof doc !== "object") throw new Error("invalid image map: expected a mapping FROM: TO");
  for (const [from, to] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof to !== "string")
      throw new Error(`invalid image map entry "${from}": the target must be a string`);
    entries.push({ from, to });
  }
  return entries;
}

/** True when `image` is matched by the rule `from` (see the module rules). */
export function imageMatches(from: string, image: string): boolean {
  const ref = parseImageRef(image);
  if (from.includes("*")) {
    const re = globToRegExp(normaliseGlob(from));
    return re.test(ref.repository) || re.test(formatImageRef(ref)) || re.test(image.trim());
  }
  const rule = parseImageRef(from);
  if (rule.repository !== ref.repository) return false;
  if (rule.digest !== undefined) return rule.digest === ref.digest;
  if (rule.tag !== undefined) return rule.tag === effectiveTag(ref);
  return true;
}

/** The image to run for `image`: the first matching rule's target, else `image` unchanged. */
export function mapImage(image: string, map: ImageMap): string {
  const exact = map.find((e) => !e.from.includes("*") && imageMatches(e.from, image));
  if (exact !== undefined) return exact.to;
  const glob = map.find((e) => e.from.includes("*") && imageMatches(e.from, image));
  return glob !== undefined ? glob.to : image;
}

function normaliseGlob(glob: string): string {
  // Normalise the repository part of a glob like a reference, unless it starts with a wildcard.
  if (glob.startsWith("*")) return glob;
  const ref = parseImageRef(glob.replaceAll("*", "\u0000"));
  return formatImageRef(ref).replaceAll("\u0000", "*");
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
}
