/**
 * The resolution cache under the data directory: what a resolver returned, by resolver and
 * params. An entry answers without the network when the ref cannot change (a git commit, a
 * bundle digest, an http digest) or when tektite runs `--offline`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RefSource, ResolvedResource, ResolverParams } from "./resolver.js";

interface Entry {
  data: string;
  annotations: Record<string, string>;
  refSource: RefSource;
}

/** Whether a ref's content is fixed by the ref itself (Tekton's cache mode "auto"). */
export function isImmutableRef(resolver: string, params: ResolverParams): boolean {
  switch (resolver) {
    case "git":
      return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(params["revision"] ?? "");
    case "bundles":
      return /@sha256:[0-9a-f]{64}$/.test(params["bundle"] ?? "");
    case "http":
      return (params["digest"] ?? "") !== "";
    default:
      return false;
  }
}

export class ResolutionCache {
  constructor(private readonly dir: string) {}

  private path(resolver: string, params: ResolverParams): string {
    const sorted = Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]);
    const key = createHash("sha256")
      .update(JSON.stringify([resolver, sorted]))
      .digest("hex");
    return join(this.dir, `${resolver}-${key}.json`);
  }

  get(resolver: string, params: ResolverParams): ResolvedResource | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(resolver, params), "utf8");
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") return undefined;
      throw err;
    }
    const e = JSON.parse(text) as Entry;
    return { data: Buffer.from(e.data, "base64"), annotations: e.annotations, refSource: e.refSource };
  }

  put(resolver: string, params: ResolverParams, r: ResolvedResource): void {
    mkdirSync(this.dir, { recursive: true });
    const path = this.path(resolver, params);
    const entry: Entry = {
      data: r.data.toString("base64"),
      annotations: r.annotations,
      refSource: r.refSource,
    };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, path);
  }
}
