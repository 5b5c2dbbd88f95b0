/**
 * `tektite bundle push REF -f FILE…` and `tektite bundle list REF [KIND [NAME]]`, like
 * `tkn bundle push|list`: Tekton Bundles in an OCI registry, one annotated layer per resource
 * (tekton-bundle-contracts.md), readable by Tekton's bundles resolver.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import YAML from "yaml";
import { admit, FieldValidation } from "../../api/admission.js";
import { LoadError } from "../../api/load-error.js";
import { loadDocuments } from "../../api/load.js";
import { ApiGroup, kindInfo } from "../../api/kinds.js";
import { RegistryClient, type Credentials } from "../../engine/resolution/oci/client.js";
import {
  BundleAnnotation,
  buildBundle,
  checkCompliance,
  layerContent,
  type BundleObject,
  type Manifest,
} from "../../engine/resolution/oci/bundle.js";
import { parseImageReference, type ImageReference } from "../../engine/resolution/oci/reference.js";
import { UserInputError } from "../errors.js";
import { addConfigOptions, resolveConfig, type ConfigOptions } from "../input.js";

interface RegistryOptions {
  username?: string;
  password?: string;
  registryConfig?: string;
}

/** Credentials from the flags, else the docker config file (`auths`), as `tkn` finds them. */
function credentialsFor(image: ImageReference, opts: RegistryOptions): Credentials | undefined {
  if (opts.username !== undefined) return { username: opts.username, password: opts.password ?? "" };
  const dockerDir = process.env["DOCKER_CONFIG"] ?? join(homedir(), ".docker");
  const file = opts.registryConfig ?? join(dockerDir, "config.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT" && opts.registryConfig === undefined) return undefined;
    throw new UserInputError(`${file}: ${(err as Error).message}`);
  }
  let auths: Record<string, { auth?: string; username?: string; password?: string }>;
  try {
    auths = (JSON.parse(text) as { auths?: typeof auths }).auths ?? {};
  } catch (err) {
    throw new UserInputError(`${file}: ${(err as Error).message}`);
  }
  for (const [key, e] of Object.entries(auths)) {
    if (key.replace(/^https?:\/\//, "").replace(/\/.*$/, "") !== image.registry) continue;
    if (e.username !== undefined) return { username: e.username, password: e.password ?? "" };
    if (e.auth !== undefined) {
      const plain = Buffer.from(e.auth, "base64").toString("utf8");
      const colon = plain.indexOf(":");
      if (colon > 0) return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
    }
  }
  return undefined;
}

function reference(ref: string): ImageReference {
  try {
    return parseImageReference(ref);
  } catch (err) {
    throw new UserInputError(`${ref} is an unparseable image reference: ${(err as Error).message}`);
  }
}

async function push(
  ref: string,
  opts: RegistryOptions & ConfigOptions & { filename: string[] },
): Promise<void> {
  const image = reference(ref);
  const config = resolveConfig(opts);
  let docs;
  try {
    docs = await loadDocuments(opts.filename, { stdin: process.stdin });
  } catch (err) {
    if (err instanceof LoadError) throw new UserInputError(err.message);
    throw err;
  }
  const objects: BundleObject[] = [];
  for (const doc of docs) {
    const o = doc.object;
    const label = `${o.kind}/${o.metadata.name ?? ""} (${doc.origin.file})`;
    if (kindInfo(o.kind)?.group !== ApiGroup.Tekton) {
      throw new UserInputError(`${label}: only Tekton resources can go in a bundle`);
    }
    if (!o.metadata.name) throw new UserInputError(`${label}: a bundled resource needs metadata.name`);
    const checked = admit(o, config.features, config.defaults, { fieldValidation: FieldValidation.Strict });
    if ("error" in checked) throw new UserInputError(`${label}: ${checked.error}`);
    objects.push({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      content: Buffer.from(YAML.stringify(o)),
    });
  }
  if (objects.length === 0) throw new UserInputError("no resources to bundle");
  let built;
  try {
    built = await buildBundle(objects);
  } catch (err) {
    throw new UserInputError((err as Error).message);
  }
  const client = new RegistryClient(image, credentialsFor(image, opts), AbortSignal.timeout(120_000));
  process.stderr.write("Creating Tekton Bundle:\n");
  for (const o of objects) process.stderr.write(`\t- Added ${o.kind}: ${o.name} to image\n`);
  await client.pushBlob(built.config);
  for (const layer of built.layers) await client.pushBlob(layer);
  const digest = await client.putManifest(
    image.reference,
    built.manifest,
    "application/vnd.oci.image.manifest.v1+json",
  );
  process.stdout.write(`Pushed Tekton Bundle to ${image.context}@${digest}\n`);
}

async function list(
  ref: string,
  kind: string | undefined,
  name: string | undefined,
  opts: RegistryOptions & { output?: "yaml" | "json" },
): Promise<void> {
  const image = reference(ref);
  const client = new RegistryClient(image, credentialsFor(image, opts), AbortSignal.timeout(120_000));
  const got = await client.getManifest(image.reference);
  const manifest = JSON.parse(got.bytes.toString("utf8")) as Manifest;
  try {
    checkCompliance(manifest);
  } catch (err) {
    throw new UserInputError(`invalid tekton bundle ${ref}, error: ${(err as Error).message}`);
  }
  const wantKind = kind?.toLowerCase().replace(/s$/, "");
  const docs: unknown[] = [];
  for (const layer of manifest.layers ?? []) {
    const a = layer.annotations ?? {};
    const k = a[BundleAnnotation.Kind] ?? "";
    const n = a[BundleAnnotation.Name] ?? "";
    if (wantKind !== undefined && k !== wantKind) continue;
    if (name !== undefined && n !== name) continue;
    if (opts.output === undefined) {
      process.stdout.write(`${k}.tekton.dev/${n}\n`);
      continue;
    }
    const content = await layerContent(await client.getBlob(layer.digest), layer.mediaType);
    docs.push(YAML.parse(content.toString("utf8")));
  }
  if (opts.output === "json")
    process.stdout.write(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`);
  else if (opts.output === "yaml") process.stdout.write(docs.map((d) => YAML.stringify(d)).join("---\n"));
}

function addRegistryOptions(cmd: Command): Command {
  return cmd
    .option("--username <name>", "registry user (default: from the docker config file)")
    .option("--password <password>", "registry password")
    .option(
      "--registry-config <file>",
      "docker config JSON with auths (default: $DOCKER_CONFIG/config.json)",
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function bundleCommand(): Command {
  const cmd = new Command("bundle").description("push and list Tekton Bundles in an OCI registry");
  const pushCmd = new Command("push")
    .description("push the Tekton resources of the given files as a bundle")
    .argument("<ref>", "image reference, e.g. registry.local:5000/tasks/build:v1")
    .requiredOption("-f, --filename <source>", "file, directory or - (repeatable)", collect, []);
  addRegistryOptions(pushCmd);
  addConfigOptions(pushCmd);
  pushCmd.action((ref: string, opts: RegistryOptions & ConfigOptions & { filename: string[] }) =>
    push(ref, opts),
  );
  const listCmd = new Command("list")
    .description("list the resources of a bundle (kind and name narrow it down)")
    .argument("<ref>", "image reference")
    .argument("[kind]", "task, pipeline or stepaction")
    .argument("[name]", "resource name")
    .addOption(
      new Option("-o, --output <format>", "print the resources themselves").choices(["yaml", "json"]),
    );
  addRegistryOptions(listCmd);
  listCmd.action(
    (
      ref: string,
      kind: string | undefined,
      name: string | undefined,
      opts: RegistryOptions & { output?: "yaml" | "json" },
    ) => list(ref, kind, name, opts),
  );
  return cmd.addCommand(pushCmd).addCommand(listCmd);
}
