/**
 * Where the API client finds its server, read once from the environment: `$KUBECONFIG` (a
 * path list), `~/.kube/config`, and the tektite overrides `$TEKTITE_SERVER` / `$TEKTITE_TOKEN`.
 *
 * @module
 */
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** The client's view of the environment. */
export interface ClientEnvironment {
  /** Kubeconfig files to merge, in order (`$KUBECONFIG`, else `~/.kube/config`). */
  kubeconfigPaths: string[];
  /** `$TEKTITE_SERVER`: a server URL overriding the kubeconfig's. */
  server?: string;
  /** `$TEKTITE_TOKEN`: a bearer token overriding the kubeconfig's. */
  token?: string;
}

/** Reads the client's environment variables. */
export function clientEnvironment(env: NodeJS.ProcessEnv = process.env): ClientEnvironment {
  const list = (env["KUBECONFIG"] ?? "").split(delimiter).filter((p) => p !== "");
  const home = env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : homedir();
  const out: ClientEnvironment = {
    kubeconfigPaths: list.length > 0 ? list : [join(home, ".kube", "config")],
  };
  if (env["TEKTITE_SERVER"]) out.server = env["TEKTITE_SERVER"];
  if (env["TEKTITE_TOKEN"]) out.token = env["TEKTITE_TOKEN"];
  return out;
}
