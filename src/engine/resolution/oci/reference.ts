/**
 * Image references as go-containerregistry's `name.ParseReference` reads them:
 * `[registry/]repository[:tag][@digest]`, Docker Hub by default, plain HTTP for localhost,
 * loopback, RFC 1918 and `.local` registries as its client allows.
 */

export interface ImageReference {
  /** `host[:port]` as written (Docker Hub is `index.docker.io`). */
  registry: string;
  repository: string;
  /** A tag or a `sha256:` digest. */
  reference: string;
  /** `registry/repository`: Tekton's `refSource.uri` for bundles. */
  context: string;
  scheme: "http" | "https";
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

function plainHttp(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1" || host.endsWith(".local")) return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (m === null) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Parses a reference; throws go-containerregistry's messages for bad ones. */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref;
  let reference = "latest";
  const at = rest.indexOf("@");
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(reference)) throw new Error(`could not parse reference: ${ref}`);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  let registry = "index.docker.io";
  let repository = rest;
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    repository = rest.slice(slash + 1);
  }
  const colon = repository.lastIndexOf(":");
  if (colon >= 0) {
    const tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (at < 0) {
      if (!TAG.test(tag)) throw new Error(`could not parse reference: ${ref}`);
      reference = tag;
    }
  }
  if (registry === "docker.io") registry = "index.docker.io";
  if (registry === "index.docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  if (!REPO.test(repository)) throw new Error(`could not parse reference: ${ref}`);
  return {
    registry,
    repository,
    reference,
    context: `${registry}/${repository}`,
    scheme: plainHttp(registry) ? "http" : "https",
  };
}
