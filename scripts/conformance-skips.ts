/**
 * Examples that cannot pass without what this machine does not have, and why (from the
 * inventory of Tekton's examples). Everything else is run and judged.
 */
const NEEDS_NETWORK: Record<string, string> = {
  "dind-sidecar.yaml": "needs network: docker:dind pulls busybox from Docker Hub",
  "beta/bundles-resolver.yaml": "needs network: bundles resolver (OCI registry)",
  "beta/git-resolver.yaml": "needs network: git resolver (GitHub)",
  "beta/hub-resolver.yaml": "needs network: hub resolver",
  "beta/stepaction-git-resolver.yaml": "needs network: git resolver for a StepAction",
  "alpha/step-stream-results.yaml": "needs network: crane reads a registry",
  "alpha/step-stream-workspace.yaml": "needs network: crane reads a registry",
};

/** Only possible with real images and a shared pod network (container executors). */
const NEEDS_CONTAINERS: Record<string, string> = {
  "authenticating-git-commands.yaml": "needs containers: an sshd sidecar, git images and UID switching",
  "beta/authenticating-git-commands.yaml": "needs containers: an sshd sidecar, git images and UID switching",
};

/** no-ci examples that can run here (the rest need a cluster, credentials, a registry or Windows). */
const RUNNABLE_NO_CI = new Set(["no-ci/default-workspaces.yaml", "no-ci/limitrange.yaml"]);

/** Returns why an example is skipped for this executor, or undefined to run it. */
export function skipReason(rel: string, executor: string): string | undefined {
  if (rel.startsWith("no-ci/") && !RUNNABLE_NO_CI.has(rel)) {
    return "no-ci: needs a cluster resolver, real credentials, a registry or a Windows node";
  }
  const network = NEEDS_NETWORK[rel];
  if (network !== undefined) return network;
  if (executor === "host") return NEEDS_CONTAINERS[rel];
  return undefined;
}
