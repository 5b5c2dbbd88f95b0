/**
 * Tekton Bundles (tekton-bundle-contracts.md): one gzipped-tar layer per resource, annotated
 * with `dev.tekton.image.{apiVersion,kind,name}`, at most 20 layers. Building them (`tektite
 * bundle push`) and reading an entry (the bundles resolver) live here together so both sides
 * agree on the format.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import tar from "tar-stream";
import { MediaType, sha256Digest } from "./client.js";

export const BundleAnnotation = {
  Kind: "dev.tekton.image.kind",
  Name: "dev.tekton.image.name",
  ApiVersion: "dev.tekton.image.apiVersion",
} as const;

export const MAXIMUM_BUNDLE_OBJECTS = 20;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** One resource to put in a bundle: its identity and its bytes (YAML or JSON). */
export interface BundleObject {
  apiVersion: string;
  kind: string;
  name: string;
  content: Buffer;
}

export interface BuiltBundle {
  config: Buffer;
  layers: Buffer[];
  manifest: Buffer;
}

function tarOne(name: string, content: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    pack.on("data", (c: unknown) => chunks.push(c as Buffer));
    pack.on("end", () => resolve(Buffer.concat(chunks)));
    pack.on("error", reject);
    pack.entry(
      { name, size: content.length, mode: 0o600, mtime: new Date(0), type: "file" },
      content,
      (err) => {
        if (err) reject(err);
        else pack.finalize();
      },
    );
  });
}

function firstTarEntry(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let done = false;
    extract.on("entry", (_header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: unknown) => chunks.push(c as Buffer));
      stream.on("end", () => {
        if (!done) {
          done = true;
          resolve(Buffer.concat(chunks));
        }
        next();
      });
      stream.resume();
    });
    extract.on("finish", () => {
      if (!done) reject(new Error("layer is not a tarball"));
    });
    extract.on("error", () => reject(new Error("layer is not a tarball")));
    extract.end(bytes);
  });
}

/** Builds the blobs and the OCI manifest of a bundle holding `objects`, in order. */
export async function buildBundle(objects: readonly BundleObject[]): Promise<BuiltBundle> {
  if (objects.length > MAXIMUM_BUNDLE_OBJECTS) {
    throw new Error(`contained more than the maximum ${MAXIMUM_BUNDLE_OBJECTS} allow objects`);
  }
  const seen = new Set<string>();
  const layers: Buffer[] = [];
  const descriptors: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const o of objects) {
    const kind = o.kind.toLowerCase();
    const id = `${o.apiVersion}/${kind}/${o.name}`;
    if (seen.has(id)) throw new Error(`duplicate ${kind} named ${o.name} (${o.apiVersion}) in the bundle`);
    seen.add(id);
    const tarred = await tarOne(o.name, o.content);
    const layer = gzipSync(tarred);
    layers.push(layer);
    diffIds.push(sha256Digest(tarred));
    descriptors.push({
      mediaType: MediaType.OciLayerGzip,
      digest: sha256Digest(layer),
      size: layer.length,
      annotations: {
        [BundleAnnotation.ApiVersion]: o.apiVersion,
        [BundleAnnotation.Kind]: kind,
        [BundleAnnotation.Name]: o.name,
      },
    });
  }
  const config = Buffer.from(
    JSON.stringify({ architecture: "", os: "", config: {}, rootfs: { type: "layers", diff_ids: diffIds } }),
  );
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
    layers: descriptors,
  };
  return { config, layers, manifest: Buffer.from(JSON.stringify(manifest)) };
}

/** Tekton's `checkImageCompliance`; throws its message. */
export function checkCompliance(manifest: Manifest): void {
  const layers = manifest.layers ?? [];
  if (layers.length > MAXIMUM_BUNDLE_OBJECTS) {
    throw new Error(`contained more than the maximum ${MAXIMUM_BUNDLE_OBJECTS} allow objects`);
  }
  layers.forEach((l, i) => {
    const a = l.annotations ?? {};
    for (const key of [BundleAnnotation.ApiVersion, BundleAnnotation.Name, BundleAnnotation.Kind]) {
      if (a[key] === undefined) throw new Error(`the layer ${i} does not contain a ${key} annotation`);
    }
    const kind = a[BundleAnnotation.Kind] ?? "";
    if (kind.toLowerCase().replace(/s$/, "") !== kind) {
      throw new Error(
        `the layer ${i} the annotation ${BundleAnnotation.Kind} must be lowercased and singular, found ${kind}`,
      );
    }
  });
}

/** The resource bytes of a layer: the first file of its tarball, else the raw (gunzipped) layer. */
export async function layerContent(blob: Buffer, mediaType: string): Promise<Buffer> {
  const raw = mediaType.includes("gzip") || (blob[0] === 0x1f && blob[1] === 0x8b) ? gunzipSync(blob) : blob;
  try {
    return await firstTarEntry(raw);
  } catch (err) {
    if (err instanceof Error && err.message === "layer is not a tarball") return raw;
    throw err;
  }
}
