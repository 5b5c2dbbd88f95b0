/**
 * The resource kinds the server commands act on, the words that name them on the command line
 * (kubectl's plurals, singulars and short names, tkn's aliases), and their API paths.
 *
 * @module
 */
import { Kinds, type KindInfo } from "../../api/kinds.js";
import { UserInputError } from "../errors.js";

/** One kind as the API serves it: the registry entry, addressed at its storage version. */
export type ResourceKind = KindInfo;

/** The kinds the commands act on, in help order. */
export const KINDS: readonly ResourceKind[] = [
  Kinds.TaskRun,
  Kinds.PipelineRun,
  Kinds.CustomRun,
  Kinds.Run,
  Kinds.Task,
  Kinds.Pipeline,
];

/** Finds a kind by any of its words (`taskruns`, `taskrun`, `tr`, `TaskRun`, `taskruns.tekton.dev`). */
export function kindByWord(word: string, allowed: readonly ResourceKind[] = KINDS): ResourceKind {
  const w = word.toLowerCase().replace(/\.tekton\.dev$/, "");
  const found = allowed.find(
    (k) => w === k.plural || w === k.singular || k.shortNames.includes(w) || k.cliAliases.includes(w),
  );
  if (found === undefined) {
    throw new UserInputError(
      `unknown resource type "${word}": expected one of ${allowed.map((k) => k.plural).join(", ")}`,
    );
  }
  return found;
}

/** `taskrun.tekton.dev`, as in `taskrun.tekton.dev/x` and `taskrun.tekton.dev "x" deleted`. */
export function qualifiedSingular(k: ResourceKind): string {
  return `${k.singular}.${k.group}`;
}

/** The collection path (`namespace` undefined: all namespaces). */
export function collectionPath(k: ResourceKind, namespace: string | undefined): string {
  const ns = namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `/apis/${k.group}/${k.storageVersion}${ns}/${k.plural}`;
}

/** The path of one object. */
export function objectPath(k: ResourceKind, namespace: string, name: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`;
}

/** The path of a pod's log. */
export function podLogPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
}
