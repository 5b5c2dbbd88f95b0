/**
 * CustomRun (v1beta1) and Run (v1alpha1) validation (`customrun_validation.go`, `run_validation.go`).
 * Both return the first problem only, and the statusMessage path has no `spec.` prefix.
 */
import type {
  CustomRun,
  CustomRunSpec,
  Param,
  Run,
  RunSpec,
  TaskRef,
  EmbeddedCustomRunSpec,
  WorkspaceBinding,
} from "../types.js";
import { FieldError } from "./field-error.js";
import { validateObjectMetadata } from "./metadata.js";
import { validateNoDuplicateNames } from "./params.js";
import { validateWorkspaceBindings } from "./workspace-binding.js";

interface Shape {
  ref: TaskRef | undefined;
  embedded: EmbeddedCustomRunSpec | undefined;
  refField: string;
  embeddedField: string;
  status?: string;
  statusMessage?: string;
  params?: Param[];
  workspaces?: WorkspaceBinding[];
}

function isEmptySpec(spec: object | undefined): boolean {
  if (spec === undefined || spec === null) return true;
  return Object.values(spec).every(
    (v) => v === undefined || v === null || v === "" || v === 0 || (Array.isArray(v) && v.length === 0),
  );
}

function validateShape(spec: object | undefined, s: Shape): FieldError {
  if (isEmptySpec(spec)) return FieldError.missingField("spec");
  const ref = `spec.${s.refField}`;
  const emb = `spec.${s.embeddedField}`;
  if (s.ref !== undefined && s.embedded !== undefined) return FieldError.multipleOneOf(ref, emb);
  if (s.ref === undefined && s.embedded === undefined) return FieldError.missingOneOf(ref, emb);
  if (s.ref !== undefined) {
    if ((s.ref.apiVersion ?? "") === "") return FieldError.missingField(`${ref}.apiVersion`);
    if ((s.ref.kind ?? "") === "") return FieldError.missingField(`${ref}.kind`);
  }
  if (s.embedded !== undefined) {
    if ((s.embedded.apiVersion ?? "") === "") return FieldError.missingField(`${emb}.apiVersion`);
    if ((s.embedded.kind ?? "") === "") return FieldError.missingField(`${emb}.kind`);
  }
  if ((s.status ?? "") === "" && (s.statusMessage ?? "") !== "") {
    return FieldError.invalidValue(
      `statusMessage should not be set if status is not set, but it is currently set to ${s.statusMessage ?? ""}`,
      "statusMessage",
    );
  }
  const dup = validateNoDuplicateNames(
    (s.params ?? []).map((p) => p.name),
    false,
  ).viaField("spec.params");
  if (!dup.isEmpty()) return dup;
  return validateWorkspaceBindings(s.workspaces ?? []).viaField("spec.workspaces");
}

/** Validates a (defaulted) CustomRun; at most one error. */
export function validateCustomRun(cr: CustomRun): FieldError {
  const meta = validateObjectMetadata(cr.metadata);
  if (!meta.isEmpty()) return meta;
  const spec: CustomRunSpec | undefined = cr.spec;
  return validateShape(spec, {
    ...spec,
    ref: spec?.customRef,
    embedded: spec?.customSpec,
    refField: "customRef",
    embeddedField: "customSpec",
  });
}

/** Validates a (defaulted) Run; at most one error. */
export function validateRun(run: Run): FieldError {
  const meta = validateObjectMetadata(run.metadata);
  if (!meta.isEmpty()) return meta;
  const spec: RunSpec | undefined = run.spec;
  return validateShape(spec, {
    ...spec,
    ref: spec?.ref,
    embedded: spec?.spec,
    refField: "ref",
    embeddedField: "spec",
  });
}
