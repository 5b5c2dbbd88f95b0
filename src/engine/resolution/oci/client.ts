/**
 * A small OCI distribution client over fetch: manifests and blobs, up and down, with the
 * registry token flow (`WWW-Authenticate: Bearer …`) and basic auth.
 */
import { createHash } from "node:crypto";
import type { ImageReference } from "./reference.js";

export interface Credentials {
  username: string;
  password: string;
}

export const MediaType = {
  OciManifest: "application/vnd.oci.image.manifest.v1+json",
  OciIndex: "application/vnd.oci.image.index.v1+json",
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  DockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  OciConfig: "application/vnd.oci.image.config.v1+json",
  OciLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

const ACCEPT = [
  MediaType.OciManifest,
  MediaType.DockerManifest,
  MediaType.OciIndex,
  MediaType.DockerList,
].join(", ");

export const sha256Digest = (bytes: Buffer): string =>
  `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** A registry error with the registry's own message (`MANIFEST_UNKNOWN: …`). */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1] ?? ""] = m[2] ?? "";
  return { scheme, params };
}

export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly image: ImageReference,
    private readonly credentials: Credentials | undefined,
    private readonly signal: AbortSignal,
  ) {}

  private url(path: string): string {
    return `${this.image.scheme}://${this.image.registry}/v2/${this.image.repository}${path}`;
  }

  private async send(url: string, init: RequestInit, scope: string): Promise<Response> {
    const go = (): Promise<Response> =>
      fetch(url, {
        ...init,
        signal: this.signal,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(this.authorization ? { Authorization: this.authorization } : {}),
        },
      });
    let res = await go();
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get("www-authenticate") ?? "");
    const basic = this.credentials
      ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`
      : undefined;
    if (challenge.scheme === "basic") {
      if (basic === undefined) return res;
      this.authorization = basic;
    } else if (challenge.scheme === "bearer" && challenge.params["realm"]) {
      const tokenUrl = new URL(challenge.params["realm"]);
      if (challenge.params["service"]) tokenUrl.searchParams.set("service", challenge.params["service"]);
      tokenUrl.searchParams.set(
        "scope",
        challenge.params["scope"] ?? `repository:${this.image.repository}:${scope}`,
      );
      const tokenRes = await fetch(tokenUrl, {
        signal: this.signal,
        headers: basic ? { Authorization: basic } : {},
      });
      if (!tokenRes.ok)
        throw new RegistryError(
          tokenRes.status,
          `UNAUTHORIZED: authentication required; ${await tokenRes.text()}`,
        );
      const body = (await tokenRes.json()) as { token?: string; access_token?: string };
      this.authorization = `Bearer ${body.token ?? body.access_token ?? ""}`;
    } else return res;
    await res.body?.cancel();
    res = await go();
    return res;
  }

  private static async fail(res: Response): Promise<never> {
    const text = await res.text();
    let message = `unexpected status code ${res.status} ${res.statusText}`;
    try {
      const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
      const e = body.errors?.[0];
      if (e) message = `${e.code ?? ""}: ${e.message ?? ""}`;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      if (text.trim() !== "") message = `${message}: ${text.trim()}`;
    }
    throw new RegistryError(res.status, message);
  }

  /** The manifest bytes, their digest and media type. */
  async getManifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string }> {
    const res = await this.send(this.url(`/manifests/${reference}`), { headers: { Accept: ACCEPT } }, "pull");
    if (!res.ok) return RegistryClient.fail(res);
    const bytes = Buffer.from(await res.arrayBuffer());
    const mediaType = (res.headers.get("content-type") ?? "").split(";")[0] ?? "";
    return { bytes, digest: sha256Digest(bytes), mediaType };
  }

  async getBlob(digest: string): Promise<Buffer> {
    const res = await this.send(this.url(`/blobs/${digest}`), {}, "pull");
    if (!res.ok) return RegistryClient.fail(res);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (sha256Digest(bytes) !== digest) throw new Error(`blob ${digest} does not match its digest`);
    return bytes;
  }

  async pushBlob(bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    const head = await this.send(this.url(`/blobs/${digest}`), { method: "HEAD" }, "pull,push");
    if (head.ok) return digest;
    const start = await this.send(this.url("/blobs/uploads/"), { method: "POST" }, "pull,push");
    if (start.status !== 202) return RegistryClient.fail(start);
    await start.body?.cancel();
    const location = new URL(start.headers.get("location") ?? "", this.url("/blobs/uploads/"));
    location.searchParams.set("digest", digest);
    const put = await this.send(
      location.toString(),
      { method: "PUT", body: bytes, headers: { "Content-Type": "application/octet-stream" } },
      "pull,push",
    );
    if (put.status !== 201) return RegistryClient.fail(put);
    await put.body?.cancel();
    return digest;
  }

  async putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await this.send(
      this.url(`/manifests/${reference}`),
      { method: "PUT", body: bytes, headers: { "Content-Type": mediaType } },
      "pull,push",
    );
    if (res.status !== 201) return RegistryClient.fail(res);
    await res.body?.cancel();
    return sha256Digest(bytes);
  }
}
