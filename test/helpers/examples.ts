/**
 * Where Tekton's examples are read from: `$TEKTON_EXAMPLES`, else
 * `../shared/conformance/tekton-examples` beside the repository. Either is a copy of
 * tektoncd/pipeline's `examples/v1` directory (`taskruns/`, `pipelineruns/`; Apache-2.0 data, not
 * part of this repository; test/README.md says how to get it).
 */
import { resolve } from "node:path";
import { repoRoot } from "./cli.js";

/** The examples directory, or a directory under it (`tektonExamples("taskruns")`). */
export function tektonExamples(...under: string[]): string {
  const base =
    process.env["TEKTON_EXAMPLES"] || resolve(repoRoot, "..", "shared", "conformance", "tekton-examples");
  return resolve(base, ...under);
}
