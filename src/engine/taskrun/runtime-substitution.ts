/**
 * The substitutions Tekton's entrypoint makes just before a step starts: `$(steps.<s>.results.<r>)`
 * and `$(steps.<s>.inputs|outputs.<a>)` from what earlier steps wrote.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TektonPath } from "../../api/pod-paths.js";
import type { FeatureFlags } from "../../config/features.js";
import type { EnvEntry } from "../../executors/executor.js";
import { substituteStepArtifactsAtRuntime, substituteStepResultsAtRuntime } from "../substitution/index.js";
import type { PreparedStep } from "./attempt-types.js";
import type { PodLayout } from "./pod-layout.js";
import { MAX_PROVENANCE_BYTES, readStepFile, resultReadLimit } from "./result-files.js";

export function runtimeSubstitution(
  layout: PodLayout,
  features: FeatureFlags,
  plan: PreparedStep["plan"],
  when: PreparedStep["when"],
) {
  const { step, warnings } = substituteStepResultsAtRuntime(
    { command: plan.command, args: plan.args, env: plan.env, when },
    (s, r) => readStepFile(layout, s, ["results", r], resultReadLimit(features)),
  );
  const next = { ...plan, args: step.args ?? [], env: step.env ?? [] };
  if (step.command !== undefined) next.command = step.command;
  const artifacts = substituteArtifacts(layout, next);
  return { plan: artifacts.plan, when: step.when, warnings: [...warnings, ...artifacts.warnings] };
}

/** `$(steps.<s>.inputs|outputs.<a>)` in the script file (rewritten in place) or command/args, and env. */
function substituteArtifacts(
  layout: PodLayout,
  plan: PreparedStep["plan"],
): { plan: PreparedStep["plan"]; warnings: string[] } {
  const scriptPath = scriptHostPath(layout, plan.command?.[0]);
  const script = scriptPath !== undefined ? readFileSync(scriptPath, "utf8") : undefined;
  const fields: { script?: string; command?: string[]; args?: string[]; env: EnvEntry[] } = { env: plan.env };
  if (script !== undefined) fields.script = script;
  else {
    if (plan.command !== undefined) fields.command = plan.command;
    fields.args = plan.args;
  }
  if (!JSON.stringify(fields).includes("$(steps.")) return { plan, warnings: [] };
  const { step, warnings } = substituteStepArtifactsAtRuntime(fields, (s) =>
    readStepFile(layout, s, ["artifacts", "provenance.json"], MAX_PROVENANCE_BYTES),
  );
  if (scriptPath !== undefined && step.script !== undefined && step.script !== script)
    writeFileSync(scriptPath, step.script);
  const next = { ...plan, env: step.env ?? plan.env };
  if (script === undefined) {
    if (step.command !== undefined) next.command = step.command;
    next.args = step.args ?? plan.args;
  }
  return { plan: next, warnings };
}

function scriptHostPath(layout: PodLayout, command0: string | undefined): string | undefined {
  if (command0 === undefined) return undefined;
  for (const root of [`${TektonPath.Scripts}/`, `${layout.scripts}/`]) {
    if (command0.startsWith(root)) return join(layout.scripts, command0.slice(root.length));
  }
  return undefined;
}
