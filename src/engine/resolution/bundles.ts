/**
 * The bundles resolver (Tekton's `pkg/resolution/resolver/bundle`): the layer of an OCI Tekton
 * Bundle whose kind and name match, pulled with credentials from `secret` or the
 * `serviceAccount`'s image pull secrets; the image digest is recorded.
 */
import type { FeatureFlags } from "../../config/features.js";
import { ResolverConfigMap } from "../../config/resolvers.js";
import { OfflineError } from "./errors.js";
import { MediaType, RegistryClient, RegistryError } from "./oci/client.js";
import type { Manifest } from "./oci/bundle.js";
import { registryCredentials } from "./oci/credentials.js";
import { parseImageReference, type ImageReference } from "./oci/reference.js";
import { configDurationMs, messageOf } from "./params.js";
import type { Resolver, ResolverParams } from "./resolver.js";

/** Tekton's `OptionsFromParams`. */
export function bundleParams(params: ResolverParams, conf: Readonly<Record<string, string>>): ResolverParams {
  const out: ResolverParams = { ...params };
  if (!params["serviceAccount"]) {
    if (conf["default-service-account"] === undefined) {
      throw new Error("default Service Account was not set during installation of the bundle resolver");
    }
    out["serviceAccount"] = conf["default-service-account"];
  }
  if (!params["bundle"]) throw new Error('parameter "bundle" required');
  try {
    parseImageReference(params["bundle"]);
  } catch (err) {
    throw new Error(`invalid bundle reference: ${messageOf(err)}`);
  }
  if (!params["name"]) throw new Error('parameter "name" required');
  if (!params["kind"]) {
    if (conf["default-kind"] === undefined) {
      throw new Error("default resource Kind was not set during installation of the bundle resolver");
    }
    out["kind"] = conf["default-kind"];
  }
  return out;
}

async function pullManifest(
  client: RegistryClient,
  image: ImageReference,
): Promise<{ manifest: Manifest; digest: string }> {
  const url = `${image.scheme}://${image.registry}/v2/${image.repository}/manifests/${image.reference}`;
  try {
    let got = await client.getManifest(image.reference);
    let manifest = JSON.parse(got.bytes.toString("utf8")) as Manifest;
    const index = manifest.manifests;
    if (index !== undefined && index.length > 0 && manifest.layers === undefined) {
      got = await client.getManifest(index[0]?.digest ?? "");
      manifest = JSON.parse(got.bytes.toString("utf8")) as Manifest;
    }
    return { manifest, digest: got.digest };
  } catch (err) {
    if (err instanceof RegistryError) throw new Error(`GET ${url}: ${err.message}`);
    throw new Error(`Get ${JSON.stringify(url)}: ${messageOf((err as { cause?: unknown }).cause ?? err)}`);
  }
}

export const bundlesResolver: Resolver = {
  type: "bundles",
  displayName: "bundleresolver",
  configMap: ResolverConfigMap.Bundles,
  enabled: (f: FeatureFlags) => f.enableBundlesResolver,
  disabledMessage: "cannot handle resolution request, enable-bundles-resolver feature flag not true",
  validate: bundleParams,
  async resolve(params, ctx) {
    // Loaded here, not at start-up: the layer code brings tar and zlib, which most runs never use.
    const { BundleAnnotation, checkCompliance, layerContent } = await import("./oci/bundle.js");
    const bundle = params["bundle"] ?? "";
    const image = parseImageReference(bundle);
    if (ctx.settings.offline) throw new OfflineError(`offline: bundle ${bundle} is not in the cache`);
    const creds = registryCredentials(ctx.objects, ctx.namespace, image.registry, {
      serviceAccount: params["serviceAccount"] ?? "default",
      ...(params["secret"] ? { secret: params["secret"] } : {}),
    });
    const client = new RegistryClient(image, creds, ctx.signal);
    let pulled: { manifest: Manifest; digest: string };
    try {
      pulled = await pullManifest(client, image);
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw new Error(`cannot retrieve the oci image: ${messageOf(err)}`);
    }
    try {
      checkCompliance(pulled.manifest);
    } catch (err) {
      throw new Error(`invalid tekton bundle ${bundle}, error: ${messageOf(err)}`);
    }
    const kind = (params["kind"] ?? "").toLowerCase();
    const name = params["name"] ?? "";
    for (const layer of pulled.manifest.layers ?? []) {
      const a = layer.annotations ?? {};
      if ((a[BundleAnnotation.Kind] ?? "").toLowerCase() !== kind || a[BundleAnnotation.Name] !== name)
        continue;
      const blob = await client.getBlob(layer.digest);
      const data = await layerContent(blob, layer.mediaType || MediaType.OciLayerGzip);
      const [algorithm, hex] = pulled.digest.split(":");
      return {
        data,
        annotations: {
          [`resolution.tekton.dev/${BundleAnnotation.Kind}`]: a[BundleAnnotation.Kind] ?? "",
          [`resolution.tekton.dev/${BundleAnnotation.Name}`]: name,
          [`resolution.tekton.dev/${BundleAnnotation.ApiVersion}`]: a[BundleAnnotation.ApiVersion] ?? "",
        },
        refSource: { uri: image.context, digest: { [algorithm ?? "sha256"]: hex ?? "" }, entryPoint: name },
      };
    }
    throw new Error(`could not find object in image with kind: ${params["kind"] ?? ""} and name: ${name}`);
  },
  timeoutMs: (config) => configDurationMs(config["fetch-timeout"], 60_000),
};
