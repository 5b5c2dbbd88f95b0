/**
 * Runtime (entrypoint) substitution of step artifacts (docs/tekton-semantics.md#runtime-substitution):
 * `$(steps.<s>.inputs.<name>)` / `$(steps.<s>.outputs.<name>)` become the JSON of that
 * artifact's `values`, in the script (or command and args) and then in env values.
 */
import { entrypointLogLine, type RuntimeSubstitution } from "./stepresults.js";

const STEP_ARTIFACT_USAGE = /\$\(steps\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/g;

/** Reads the raw content of `/tekton/steps/step-<step>/artifacts/provenance.json`; undefined when absent. */
export type ReadStepArtifacts = (step: string) => string | undefined;

class ArtifactError extends Error {}

/** Go's `json.Marshal` string escaping (HTML-safe). */
function goJsonString(text: string): string {
  return JSON.stringify(text)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * JSON of an artifact's `values` exactly as Tekton marshals them: each value as
 * `{"digest":{…sorted…},"uri":"…"}` with empty fields left out; `null` when there are none.
 */
export function marshalArtifactValues(values: unknown): string {
  if (!Array.isArray(values) || values.length === 0) return "null";
  const items = values.map((v) => {
    const rec = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    const fields: string[] = [];
    const digest = rec.digest;
    if (typeof digest === "object" && digest !== null && Object.keys(digest).length > 0) {
      const entries = Object.entries(digest as Record<string, unknown>)
        .filter((e): e is [string, string] => typeof e[1] === "string")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, val]) => `${goJsonString(k)}:${goJsonString(val)}`);
      fields.push(`"digest":{${entries.join(",")}}`);
    }
    if (typeof rec.uri === "string" && rec.uri !== "") fields.push(`"uri":${goJsonString(rec.uri)}`);
    return `{${fields.join(",")}}`;
  });
  return `[${items.join(",")}]`;
}

function artifactValues(reference: string, read: ReadStepArtifacts): string {
  const inner = reference.slice(2, -1).split(".");
  const step = inner[1] ?? "";
  const kind = inner[2];
  const name = inner[3] ?? "";
  const content = read(step);
  if (content === undefined) {
    throw new ArtifactError(
      `open /tekton/steps/step-${step}/artifacts/provenance.json: no such file or directory`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (err) {
    throw new ArtifactError(err instanceof Error ? err.message : String(err));
  }
  const doc = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const list = doc[kind === "outputs" ? "outputs" : "inputs"];
  for (const artifact of Array.isArray(list) ? list : []) {
    if (
      typeof artifact === "object" &&
      artifact !== null &&
      (artifact as Record<string, unknown>).name === name
    ) {
      return marshalArtifactValues((artifact as Record<string, unknown>).values);
    }
  }
  throw new ArtifactError(`values for template ${reference} not found`);
}

function replaceArtifacts(text: string, read: ReadStepArtifacts): string {
  let out = text;
  for (const m of text.matchAll(STEP_ARTIFACT_USAGE)) out = out.split(m[0]).join(artifactValues(m[0], read));
  return out;
}

/** The step fields in which artifact references are replaced. */
export interface ArtifactStepFields<
  E extends { name: string; value?: string } = { name: string; value?: string },
> {
  script?: string;
  command?: string[];
  args?: string[];
  env?: E[];
}

/**
 * Replaces artifact references as the entrypoint does: in the script when there is one,
 * otherwise in command and args (all or nothing), then env values one by one. The first
 * failure is reported as `Error while substituting step artifacts:` and ends the substitution.
 */
export function substituteStepArtifactsAtRuntime<
  E extends { name: string; value?: string },
  T extends ArtifactStepFields<E>,
>(step: T, readArtifacts: ReadStepArtifacts): RuntimeSubstitution<T> {
  const out: T = { ...step };
  if (step.env !== undefined) out.env = step.env.map((e) => ({ ...e }));
  try {
    if (step.script !== undefined) {
      out.script = replaceArtifacts(step.script, readArtifacts);
    } else {
      const command = step.command?.map((c) => replaceArtifacts(c, readArtifacts));
      const args = step.args?.map((a) => replaceArtifacts(a, readArtifacts));
      if (command !== undefined) out.command = command;
      if (args !== undefined) out.args = args;
    }
    for (const e of out.env ?? []) {
      if (e.value !== undefined) e.value = replaceArtifacts(e.value, readArtifacts);
    }
  } catch (err) {
    if (!(err instanceof ArtifactError)) throw err;
    return {
      step: out,
      warnings: [entrypointLogLine("Error while substituting step artifacts:", err.message)],
    };
  }
  return { step: out, warnings: [] };
}
