/**
 * Artifacts as Tekton surfaces them: what a step wrote to `$(step.artifacts.path)` becomes that
 * step's `inputs`/`outputs` in `status.steps[]`; `status.artifacts` of a completed TaskRun is the
 * task's `$(artifacts.path)` merged with every step's artifacts (`Artifacts.Merge`), `{}` when none
 * (`pkg/pod/status.go`, set whatever `enable-artifacts` says).
 */
import { lstatSync } from "node:fs";
import { join } from "node:path";
import type { Artifact, Step } from "../../api/types.js";
import { TektonPath, stepNames } from "../../api/pod-paths.js";
import { ContainedRead, readContained } from "./contained-read.js";
import { MAX_PROVENANCE_BYTES } from "./result-files.js";

export interface Artifacts {
  inputs?: Artifact[];
  outputs?: Artifact[];
}

type ArtifactValue = NonNullable<Artifact["values"]>[number];

/** A `provenance.json` file's artifacts; undefined when it is not a JSON object (Tekton logs and drops it). */
export function parseArtifacts(text: string | undefined): Artifacts | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // not JSON: Tekton logs the parse error and records no artifacts
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const { inputs, outputs } = parsed as { inputs?: unknown; outputs?: unknown };
  const out: Artifacts = {};
  const ins = artifactList(inputs);
  const outs = artifactList(outputs);
  if (ins !== undefined) out.inputs = ins;
  if (outs !== undefined) out.outputs = outs;
  return out;
}

/** Only the fields Tekton's `Artifact` type has, as its JSON decoding keeps them. */
function artifactList(value: unknown): Artifact[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((raw) => {
    const a = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const out: Artifact = {};
    if (typeof a["name"] === "string" && a["name"] !== "") out.name = a["name"];
    const values = Array.isArray(a["values"]) ? a["values"].map(artifactValue) : [];
    if (values.length > 0) out.values = values;
    if (a["buildOutput"] === true) out.buildOutput = true;
    return out;
  });
}

function artifactValue(raw: unknown): ArtifactValue {
  const v = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: ArtifactValue = {};
  const digest = v["digest"];
  if (typeof digest === "object" && digest !== null && Object.keys(digest).length > 0) {
    out.digest = Object.fromEntries(
      Object.entries(digest as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      ),
    );
  }
  if (typeof v["uri"] === "string" && v["uri"] !== "") out.uri = v["uri"];
  return out;
}

const sameValue = (a: ArtifactValue, b: ArtifactValue): boolean =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

function sorted(v: ArtifactValue): unknown {
  return { uri: v.uri, digest: v.digest && Object.fromEntries(Object.entries(v.digest).sort()) };
}

/**
 * `Artifacts.Merge`: artifacts by name, each name's values without duplicates; an output is a
 * build output once any side says so. (Tekton iterates Go maps, so its order is arbitrary: here it
 * is first-seen.)
 */
export function mergeArtifacts(a: Artifacts, b: Artifacts | undefined): Artifacts {
  const inputs = new Map<string, ArtifactValue[]>();
  for (const x of a.inputs ?? []) inputs.set(x.name ?? "", [...(x.values ?? [])]);
  for (const x of b?.inputs ?? []) {
    const values = inputs.get(x.name ?? "") ?? [];
    for (const v of x.values ?? []) if (!values.some((w) => sameValue(v, w))) values.push(v);
    inputs.set(x.name ?? "", values);
  }
  const outputs = new Map<string, { values: ArtifactValue[]; buildOutput: boolean }>();
  for (const x of a.outputs ?? [])
    outputs.set(x.name ?? "", { values: [...(x.values ?? [])], buildOutput: x.buildOutput === true });
  for (const x of b?.outputs ?? []) {
    const entry = outputs.get(x.name ?? "") ?? { values: [], buildOutput: false };
    if (x.buildOutput === true) entry.buildOutput = true;
    for (const v of x.values ?? []) if (!entry.values.some((w) => sameValue(v, w))) entry.values.push(v);
    outputs.set(x.name ?? "", entry);
  }
  const out: Artifacts = {};
  if (inputs.size > 0) out.inputs = [...inputs].map(([name, values]) => artifact(name, values, false));
  if (outputs.size > 0)
    out.outputs = [...outputs].map(([name, o]) => artifact(name, o.values, o.buildOutput));
  return out;
}

function artifact(name: string, values: ArtifactValue[], buildOutput: boolean): Artifact {
  return {
    ...(name !== "" ? { name } : {}),
    ...(values.length > 0 ? { values } : {}),
    ...(buildOutput ? { buildOutput } : {}),
  };
}

/** `status.artifacts` of a completed TaskRun: the task's artifacts, then each step's, merged. */
export function taskRunArtifacts(
  task: Artifacts | undefined,
  steps: ReadonlyArray<Artifacts | undefined>,
): Artifacts {
  let out: Artifacts = {};
  for (const s of steps) out = mergeArtifacts(mergeArtifacts(out, task), s);
  return steps.length === 0 ? mergeArtifacts(out, task) : out;
}

/**
 * False when nothing is at `path`, whatever its directories are: one lstat where most steps
 * (which write no artifacts) would otherwise cost the contained walk. Never reads the file.
 */
function mayExist(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw err;
  }
}

/** What a step wrote to `$(step.artifacts.path)` (`<statusDir>/artifacts/provenance.json`), read without following links. */
export function readStepArtifacts(attemptDir: string, statusDir: string): Artifacts {
  const path = join(statusDir, "artifacts", "provenance.json");
  if (!mayExist(path)) return {};
  const file = readContained(attemptDir, path, MAX_PROVENANCE_BYTES);
  return (file.kind === ContainedRead.Ok ? parseArtifacts(file.text) : undefined) ?? {};
}

/** `artifactsPathReferenced`: a step's script, args or command names its `$(step.artifacts.path)`. */
export function artifactsPathReferenced(steps: readonly Step[]): boolean {
  return steps.some((step, i) => {
    const path = `${TektonPath.Steps}/${stepNames(step.name, i).dirName}/artifacts/provenance.json`;
    const texts = [step.script ?? "", ...(step.args ?? []), ...(step.command ?? [])];
    return texts.some((t) => t.includes(path) || t.includes("$(step.artifacts.path)"));
  });
}
