/**
 * Image references read as Docker's reference grammar reads them (distribution/reference,
 * `ParseNormalizedNamed` + `TagNameOnly`), so that every spelling of one image is one key:
 * `python:3` ≡ `docker.io/python:3` ≡ `docker.io/library/python:3` ≡ `index.docker.io/library/python:3`,
 * and `python` ≡ `python:latest`.
 *
 * - The first path component is a registry when it contains `.` or `:`, is `localhost`, or has an
 *   upper-case letter; otherwise the image is on Docker Hub (`docker.io`).
 * - `index.docker.io` is Docker Hub's legacy name for `docker.io`.
 * - A Docker Hub image with a single path component lives under `library/`.
 * - A reference with neither tag nor digest names the tag `latest`.
 *
 * @module
 */

/** The registry Docker Hub images live on. */
export const DOCKER_HUB = "docker.io";
const LEGACY_DOCKER_HUB = "index.docker.io";
const OFFICIAL_NAMESPACE = "library";
/** The tag Docker assumes when a reference names neither tag nor digest. */
export const DEFAULT_TAG = "latest";

/** An image reference split into its parts, with registry and path normalised. */
export interface ImageRef {
  /** `registry/path`, e.g. `docker.io/library/ubuntu`. */
  repository: string;
  /** The tag as written; absent when none was written. */
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

/** Splits and normalises an image reference (`ubuntu:22.04`, `gcr.io/x/y@sha256:…`); never throws. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return {
    repository: normaliseRepository(rest),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The tag a reference names once Docker's default applies: its own, `latest`, or none when pinned by digest alone. */
export function effectiveTag(ref: ImageRef): string | undefined {
  return ref.tag ?? (ref.digest === undefined ? DEFAULT_TAG : undefined);
}

/** Formats a reference back as written: `repository[:tag][@digest]`. */
export function formatImageRef(ref: ImageRef): string {
  const tag = ref.tag !== undefined ? `:${ref.tag}` : "";
  const digest = ref.digest !== undefined ? `@${ref.digest}` : "";
  return `${ref.repository}${tag}${digest}`;
}

/** The one canonical spelling of an image: normalised repository, default tag applied. */
export function canonicalImage(image: string): string {
  const ref = parseImageRef(image);
  const tag = effectiveTag(ref);
  return formatImageRef({
    repository: ref.repository,
    ...(tag !== undefined ? { tag } : {}),
    ...digestOf(ref),
  });
}

/**
 * How Tekton's step state names an image that no engine resolved to a digest (the host executor runs
 * none): `repository@digest` when pinned, else its canonical spelling.
 */
export function requestedImageID(image: string): string {
  const ref = parseImageRef(image);
  return ref.digest !== undefined ? `${ref.repository}@${ref.digest}` : canonicalImage(image);
}

function digestOf(ref: ImageRef): { digest?: string } {
  return ref.digest !== undefined ? { digest: ref.digest } : {};
}

function normaliseRepository(name: string): string {
  const slash = name.indexOf("/");
  const first = slash === -1 ? "" : name.slice(0, slash);
  const isRegistry =
    slash !== -1 &&
    (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase());
  if (!isRegistry) return hubRepository(name);
  if (first === LEGACY_DOCKER_HUB || first === DOCKER_HUB) return hubRepository(name.slice(slash + 1));
  return name;
}

function hubRepository(path: string): string {
  return path.includes("/") ? `${DOCKER_HUB}/${path}` : `${DOCKER_HUB}/${OFFICIAL_NAMESPACE}/${path}`;
}
