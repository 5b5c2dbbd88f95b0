/**
 * Examples that cannot pass without what this machine does not have, and why (from the
 * inventory of Tekton's examples). Everything else is run and judged.
 */

/** The example folders the runner knows. */
export const Suite = { TaskRuns: "taskruns", PipelineRuns: "pipelineruns" } as const;
/** One of {@link Suite}'s values. */
export type Suite = (typeof Suite)[keyof typeof Suite];

interface SkipTable {
  /** Examples that reach the network (registries, GitHub, remote resolvers). */
  network: Record<string, string>;
  /** Examples that need real images and a shared pod network (container executors only). */
  containers: Record<string, string>;
  /** no-ci examples that can run here (the rest need a cluster, credentials, a registry or Windows). */
  runnableNoCi: ReadonlySet<string>;
}

const TABLES: Record<Suite, SkipTable> = {
  [Suite.TaskRuns]: {
    network: {
      "dind-sidecar.yaml": "needs network: docker:dind pulls busybox from Docker Hub",
      "beta/bundles-resolver.yaml":
        "needs network: the bundle is pinned by digest (ghcr.io/tektoncd/catalog/upstream/tasks/git-clone@sha256:65e6…); a local mirror would need ghcr.io's exact manifest bytes to match it, and the resolver keeps verifying digests",
      "alpha/step-stream-results.yaml": "needs network: crane reads a registry",
      "alpha/step-stream-workspace.yaml": "needs network: crane reads a registry",
    },
    containers: {
      "authenticating-git-commands.yaml": "needs containers: an sshd sidecar, git images and UID switching",
      "beta/authenticating-git-commands.yaml":
        "needs containers: an sshd sidecar, git images and UID switching",
    },
    runnableNoCi: new Set(["no-ci/default-workspaces.yaml", "no-ci/limitrange.yaml"]),
  },
  [Suite.PipelineRuns]: {
    network: {
      "pipelinerun.yaml":
        "needs network: clones GoogleContainerTools/skaffold from GitHub, kaniko pushes to a registry",
      "pipelinerun-with-final-tasks.yaml": "needs network: clones tektoncd/community from GitHub",
    },
    containers: {},
    runnableNoCi: new Set(["no-ci/limitrange.yaml"]),
  },
};

/** Returns why an example is skipped for this executor, or undefined to run it. */
export function skipReason(suite: Suite, rel: string, executor: string): string | undefined {
  const table = TABLES[suite];
  if (rel.startsWith("no-ci/") && !table.runnableNoCi.has(rel)) {
    return "no-ci: needs a cluster resolver, real credentials, a registry or a Windows node";
  }
  const network = table.network[rel];
  if (network !== undefined) return network;
  if (executor === "host") return table.containers[rel];
  return undefined;
}
