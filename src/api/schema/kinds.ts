/**
 * One schema per served kind and version: the single description of a resource's shape that the
 * decoder (`../decode.ts`), the OpenAPI documents of `tektite serve` and the TypeScript types read.
 *
 * @module
 */
import type { TSchema } from "@sinclair/typebox";
import { ObjectMetaSchema, PersistentVolumeClaimSpecSchema } from "./core.js";
import { always, bool, list, map, opaque, str, stringMap, struct } from "./dsl.js";
import { pipelineRunSpecSchema, pipelineSpecSchema } from "./pipeline.js";
import { customRunSpecSchema, runSpecSchema, stepActionSpecSchema, taskRunSpecSchema } from "./runs.js";
import { taskSpecSchema } from "./task.js";

/** The schema of one kind at one apiVersion. */
export interface KindSchema {
  apiVersion: string;
  kind: string;
  /** Go package of the kind's struct (`v1`, `v1beta1`, `v1alpha1`). */
  pkg: string;
  schema: TSchema;
}

function top(pkg: string, kind: string, fields: Record<string, TSchema>, description: string): TSchema {
  return struct(
    pkg,
    kind,
    {
      apiVersion: str("Version of the schema the object is written in."),
      kind: str("Kind of the object."),
      metadata: always(ObjectMetaSchema),
      ...fields,
    },
    description,
  );
}

/**
 * A kind whose schema is built on first use: building every kind's schema costs more than a
 * whole one-step `tektite run` otherwise spends on admission, and a run needs only its kinds.
 */
interface KindEntry extends Omit<KindSchema, "schema"> {
  build: () => TSchema;
}

function tekton(
  version: "v1" | "v1beta1" | "v1alpha1",
  kind: string,
  spec: () => TSchema,
  description: string,
  status?: string,
): KindEntry {
  const build = (): TSchema => {
    const fields: Record<string, TSchema> = { spec: spec() };
    if (status !== undefined)
      fields["status"] = opaque(status, "What happened: conditions, times, results. Written by tektite.");
    return top(version, kind, fields, description);
  };
  return { apiVersion: `tekton.dev/${version}`, kind, pkg: version, build };
}

function core(kind: string, fields: () => Record<string, TSchema>, description: string): KindEntry {
  return { apiVersion: "v1", kind, pkg: "v1", build: () => top("v1", kind, fields(), description) };
}

function entries(): KindEntry[] {
  const out: KindEntry[] = [];
  for (const pkg of ["v1", "v1beta1"] as const) {
    out.push(tekton(pkg, "Task", () => taskSpecSchema(pkg), "A Task: steps that run in order in one pod."));
    out.push(
      tekton(pkg, "TaskRun", () => taskRunSpecSchema(pkg), "A run of a Task.", `${pkg}.TaskRunStatus`),
    );
    out.push(tekton(pkg, "Pipeline", () => pipelineSpecSchema(pkg), "A Pipeline: a graph of Tasks."));
    out.push(
      tekton(
        pkg,
        "PipelineRun",
        () => pipelineRunSpecSchema(pkg),
        "A run of a Pipeline.",
        `${pkg}.PipelineRunStatus`,
      ),
    );
  }
  out.push(
    tekton(
      "v1beta1",
      "CustomRun",
      () => customRunSpecSchema(),
      "A run of a custom task.",
      "v1beta1.CustomRunStatus",
    ),
  );
  out.push(tekton("v1beta1", "StepAction", () => stepActionSpecSchema("v1beta1"), "A reusable step."));
  out.push(tekton("v1alpha1", "StepAction", () => stepActionSpecSchema("v1alpha1"), "A reusable step."));
  out.push(
    tekton(
      "v1alpha1",
      "Run",
      () => runSpecSchema(),
      "A run of a custom task (v1alpha1).",
      "v1alpha1.RunStatus",
    ),
  );
  out.push(
    core(
      "ConfigMap",
      () => ({
        data: stringMap("Text values by key."),
        binaryData: map(str(undefined, "[]uint8"), "map[string][]uint8"),
        immutable: bool("Whether the data may change."),
      }),
      "Configuration as key-value pairs.",
    ),
  );
  out.push(
    core(
      "Secret",
      () => ({
        data: map(str(undefined, "[]uint8"), "map[string][]uint8"),
        stringData: stringMap("Values given as text, stored base64-encoded in data."),
        type: str("Kind of secret (Opaque, kubernetes.io/basic-auth…).", "v1.SecretType"),
        immutable: bool("Whether the data may change."),
      }),
      "Sensitive key-value pairs.",
    ),
  );
  out.push(
    core(
      "ServiceAccount",
      () => ({
        secrets: list(
          opaque("v1.ObjectReference"),
          "[]v1.ObjectReference",
          "Secrets the service account may use.",
        ),
        imagePullSecrets: list(
          opaque("v1.LocalObjectReference"),
          "[]v1.LocalObjectReference",
          "Secrets for pulling images.",
        ),
        automountServiceAccountToken: bool("Whether pods mount its token."),
      }),
      "An identity for the pods of runs.",
    ),
  );
  out.push(
    core(
      "PersistentVolumeClaim",
      () => ({ spec: PersistentVolumeClaimSpecSchema, status: opaque("v1.PersistentVolumeClaimStatus") }),
      "A claim on storage.",
    ),
  );
  out.push(
    core(
      "Namespace",
      () => ({
        spec: struct("v1", "NamespaceSpec", {
          finalizers: list(str(undefined, "v1.FinalizerName"), "[]v1.FinalizerName"),
        }),
        status: opaque("v1.NamespaceStatus"),
      }),
      "A scope for names.",
    ),
  );
  out.push(
    core(
      "LimitRange",
      () => ({ spec: opaque("v1.LimitRangeSpec") }),
      "Resource limits per namespace (ignored).",
    ),
  );
  return out;
}

let known: KindEntry[] | undefined;
const built = new Map<KindEntry, KindSchema>();

function realize(e: KindEntry): KindSchema {
  let k = built.get(e);
  if (k === undefined) {
    k = { apiVersion: e.apiVersion, kind: e.kind, pkg: e.pkg, schema: e.build() };
    built.set(e, k);
  }
  return k;
}

/** Every kind's schema. */
export function kindSchemas(): readonly KindSchema[] {
  known ??= entries();
  return known.map(realize);
}

/** The schema of `apiVersion`/`kind`, or undefined when tektite has none. */
export function schemaFor(apiVersion: string, kind: string): KindSchema | undefined {
  known ??= entries();
  const e = known.find((k) => k.apiVersion === apiVersion && k.kind === kind);
  return e === undefined ? undefined : realize(e);
}
