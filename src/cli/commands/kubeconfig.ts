/**
 * `tektite kubeconfig`: prints a kubeconfig for the server of a data directory — its URL (from
 * `serve.json`, or `--server`), its certificate (`<dataDir>/tls/server.crt`) and the bearer token
 * (`<dataDir>/token`).
 */
import { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveDataDir } from "../../config/paths.js";
import {
  DEFAULT_ADDRESS,
  DEFAULT_PORT,
  readCertificate,
  readToken,
  renderKubeconfig,
} from "../../server/index.js";
import { UserInputError } from "../errors.js";
import { SERVE_INFO_FILE } from "./serve.js";

interface KubeconfigOptions {
  dataDir?: string;
  server?: string;
  namespace: string;
}

/** The URL of the server of a data directory: `flag`, else `serve.json`, else the default address. */
export function serverUrl(dataDir: string, flag: string | undefined): string {
  if (flag) return flag;
  const info = join(dataDir, SERVE_INFO_FILE);
  if (existsSync(info)) {
    const parsed = JSON.parse(readFileSync(info, "utf8")) as { url?: unknown };
    if (typeof parsed.url === "string") return parsed.url;
  }
  return `https://${DEFAULT_ADDRESS}:${DEFAULT_PORT}`;
}

function action(opts: KubeconfigOptions): void {
  const dataDir = resolveDataDir(opts.dataDir);
  const token = readToken(dataDir);
  if (token === undefined) {
    throw new UserInputError(
      `no token in ${dataDir}: start the server once with tektite serve --data-dir ${dataDir}`,
    );
  }
  const certificate = readCertificate(dataDir);
  process.stdout.write(
    renderKubeconfig({
      server: serverUrl(dataDir, opts.server),
      token,
      namespace: opts.namespace,
      ...(certificate !== undefined ? { certificate } : {}),
    }),
  );
}

/** The `kubeconfig` command. */
export function kubeconfigCommand(): Command {
  return new Command("kubeconfig")
    .description("print a kubeconfig for kubectl to talk to tektite serve")
    .option("--data-dir <dir>", "the server's data directory")
    .option("--server <url>", "server URL (default: where the server of this data directory listens)")
    .option("-n, --namespace <ns>", "default namespace of the context", "default")
    .action(action);
}
