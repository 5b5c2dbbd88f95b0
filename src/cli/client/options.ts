/**
 * The connection flags every server command takes (`--kubeconfig`, `--context`, `--server`,
 * `--token`, `--certificate-authority`, `--insecure-skip-tls-verify`, `-n`), their resolution
 * into a {@link Connection} (flags, then `$TEKTITE_SERVER`/`$TEKTITE_TOKEN`, then the kubeconfig),
 * and the wrapper that prints client failures like kubectl (exit code `RequestFailed`).
 *
 * @module
 */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { clientEnvironment, type ClientEnvironment } from "../../config/client.js";
import { failWith } from "../exit-codes.js";
import { ApiClient } from "./http.js";
import { ClientConfigError, errorText } from "./errors.js";
import { connectionFromKubeconfig, loadKubeconfigs, type Connection } from "./kubeconfig.js";

/** Parsed connection flags. */
export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  namespace?: string;
}

/**
 * Adds the connection flags to a command. `shortServerFlag: false` leaves `-s` to the command
 * (`tektite start` keeps tkn's `-s, --serviceaccount`).
 */
export function addConnectionOptions(cmd: Command, opts: { shortServerFlag?: boolean } = {}): Command {
  return cmd
    .option("-n, --namespace <ns>", "namespace (default: the kubeconfig context's, else default)")
    .option("-k, --kubeconfig <file>", "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
    .option("--context <name>", "kubeconfig context to use (default: current-context)")
    .option(
      opts.shortServerFlag === false ? "--server <url>" : "-s, --server <url>",
      "API server URL (overrides the kubeconfig; also $TEKTITE_SERVER)",
    )
    .option("--token <token>", "bearer token (overrides the kubeconfig; also $TEKTITE_TOKEN)")
    .option("--certificate-authority <file>", "PEM file of the CA to trust")
    .option("--insecure-skip-tls-verify", "do not verify the server certificate");
}

/** Resolves flags, environment and kubeconfig into a connection. */
export function resolveConnection(
  opts: ConnectionOptions,
  env: ClientEnvironment = clientEnvironment(),
): Connection {
  const paths = opts.kubeconfig !== undefined ? [opts.kubeconfig] : env.kubeconfigPaths;
  const fromFile = connectionFromKubeconfig(loadKubeconfigs(paths), opts.context);
  const server = opts.server ?? env.server;
  let conn: Connection;
  if (server !== undefined) {
    conn = { server, insecureSkipTlsVerify: false, namespace: fromFile?.namespace ?? "default" };
    // The kubeconfig's credentials still serve when it names the same server.
    if (fromFile !== undefined && sameServer(fromFile.server, server)) conn = { ...fromFile, server };
  } else if (fromFile !== undefined) {
    conn = fromFile;
  } else {
    throw new ClientConfigError(
      `no server configured: pass --server URL --token TOKEN, set $KUBECONFIG, or write one with \`tektite kubeconfig > ~/.kube/config\` after \`tektite serve\` (looked in ${paths.join(", ")})`,
    );
  }
  const token = opts.token ?? env.token;
  if (token !== undefined) conn.token = token;
  if (opts.certificateAuthority !== undefined) {
    try {
      conn.ca = readFileSync(opts.certificateAuthority, "utf8");
    } catch {
      throw new ClientConfigError(`cannot read --certificate-authority ${opts.certificateAuthority}`);
    }
  }
  if (opts.insecureSkipTlsVerify) conn.insecureSkipTlsVerify = true;
  if (opts.namespace !== undefined) conn.namespace = opts.namespace;
  return conn;
}

function sameServer(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}

/**
 * Wraps a command action: builds the client, runs `fn`, and prints client failures (server
 * `Status`, connection, configuration) as kubectl does, with exit code `RequestFailed`. Other errors propagate.
 */
export function withClient<A extends unknown[]>(
  fn: (client: ApiClient, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.opts<ConnectionOptions>();
    let server = opts.server ?? "";
    try {
      const conn = resolveConnection(opts);
      server = conn.server;
      await fn(new ApiClient(conn), ...args);
    } catch (err) {
      const text = errorText(err, server);
      if (text === undefined) throw err;
      failWith(text);
    }
  };
}
