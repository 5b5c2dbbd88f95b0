/**
 * The resource kinds the server commands act on, the words that name them on the command line
 * (kubectl's plurals, singulars and short names, tkn's aliases), and their API paths.
 *
 * @module
 */
import { UserInputError } from "../errors.js";

/** One kind as the API serves it. */
export interface ResourceKind {
  kind: string;
  group: string;
  version: string;
  /** Plural: `taskruns`. */
  resource: string;
  singular: string;
  /** Words accepted on the command line. */
  aliases: readonly string[];
  /** A run (TaskRun, PipelineRun, CustomRun, Run): it has a Succeeded condition and can be cancelled. */
  isRun: boolean;
}

/** The kinds the commands know, in help order. */
export const KINDS: readonly ResourceKind[] = [
  {
    kind: "TaskRun",
    group: "tekton.dev",
    version: "v1",
    resource: "taskruns",
    singular: "taskrun",
    aliases: ["tr", "trs"],
    isRun: true,
  },
  {
    kind: "PipelineRun",
    group: "tekton.dev",
    version: "v1",
    resource: "pipelineruns",
    singular: "pipelinerun",
    aliases: ["pr", "prs"],
    isRun: true,
  },
  {
    kind: "CustomRun",
    group: "tekton.dev",
    version: "v1beta1",
    resource: "customruns",
    singular: "customrun",
    aliases: ["cr", "crs"],
    isRun: true,
  },
  {
    kind: "Run",
    group: "tekton.dev",
    version: "v1alpha1",
    resource: "runs",
    singular: "run",
    aliases: [],
    isRun: true,
  },
  {
    kind: "Task",
    group: "tekton.dev",
    version: "v1",
    resource: "tasks",
    singular: "task",
    aliases: ["t"],
    isRun: false,
  },
  {
    kind: "Pipeline",
    group: "tekton.dev",
    version: "v1",
    resource: "pipelines",
    singular: "pipeline",
    aliases: ["p"],
    isRun: false,
  },
];

/** Finds a kind by any of its words (`taskruns`, `taskrun`, `tr`, `TaskRun`, `taskruns.tekton.dev`). */
export function kindByWord(word: string, allowed: readonly ResourceKind[] = KINDS): ResourceKind {
  const w = word.toLowerCase().replace(/\.tekton\.dev$/, "");
  const found = allowed.find((k) => w === k.resource || w === k.singular || k.aliases.includes(w));
  if (found === undefined) {
    throw new UserInputError(
      `unknown resource type "${word}": expected one of ${allowed.map((k) => k.resource).join(", ")}`,
    );
  }
  return found;
}

/** `taskruns.tekton.dev`, as kubectl names a resource in messages. */
export function qualified(k: ResourceKind): string {
  return `${k.resource}.${k.group}`;
}

/** `taskrun.tekton.dev`, as in `taskrun.tekton.dev/x` and `taskrun.tekton.dev "x" deleted`. */
export function qualifiedSingular(k: ResourceKind): string {
  return `${k.singular}.${k.group}`;
}

/** The collection path (`namespace` undefined: all namespaces). */
export function collectionPath(k: ResourceKind, namespace: string | undefined): string {
  const ns = namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `/apis/${k.group}/${k.version}${ns}/${k.resource}`;
}

/** The path of one object. */
export function objectPath(k: ResourceKind, namespace: string, name: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`;
}

/** The path of a pod's log. */
export function podLogPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
}
