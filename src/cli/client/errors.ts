/**
 * Failures of the API client, each printed the way kubectl prints it: a Kubernetes `Status` as
 * `Error from server (Reason): message`, a refused connection naming the server and `tektite
 * serve`, a rejected token as a login problem. {@link errorText} is the one place they become text.
 *
 * @module
 */

/** The server answered with an error `Status`. */
export class ApiStatusError extends Error {
  override readonly name = "ApiStatusError";
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached (refused, unknown host, TLS failure…). */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  constructor(
    readonly server: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** No server is configured, or the kubeconfig cannot be used. */
export class ClientConfigError extends Error {
  override readonly name = "ClientConfigError";
}

/** A command-level failure with a message of its own (exit 1). */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

/** A network failure as a {@link ConnectionError} with advice. */
export function connectionError(server: string, err: unknown): ConnectionError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "";
  const detail = err instanceof Error ? err.message : String(err);
  if (code === "ECONNREFUSED") {
    return new ConnectionError(
      server,
      code,
      `cannot connect to the tektite server at ${server} (connection refused); is it running? Start one with \`tektite serve\`, or point --server / --kubeconfig at it`,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new ConnectionError(
      server,
      code,
      `cannot resolve the host of the tektite server ${server} (${code})`,
    );
  }
  if (TLS_CODES.has(code)) {
    return new ConnectionError(
      server,
      code,
      `TLS handshake with ${server} failed (${detail}); use the kubeconfig from \`tektite kubeconfig\` (it carries the server certificate), --certificate-authority FILE, or --insecure-skip-tls-verify`,
    );
  }
  return new ConnectionError(server, code, `cannot reach the tektite server at ${server}: ${detail}`);
}

/** How kubectl words a Status error. */
export function statusText(err: ApiStatusError, server: string): string {
  if (err.code === 401) {
    return `error: You must be logged in to the server (Unauthorized): ${server} rejected the bearer token; check --token, $TEKTITE_TOKEN or the kubeconfig user (\`tektite kubeconfig --data-dir DIR\` prints the current one)`;
  }
  return `Error from server (${err.reason || "Unknown"}): ${err.message}`;
}

/** The text printed for a failure of a client command, or undefined when it is not one of ours. */
export function errorText(err: unknown, server: string): string | undefined {
  if (err instanceof ApiStatusError) return statusText(err, server);
  if (err instanceof ConnectionError || err instanceof ClientConfigError || err instanceof CommandError)
    return `error: ${err.message}`;
  return undefined;
}
