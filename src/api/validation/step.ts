/** `Step.Validate` (`container_validation.go`); paths relative to the step. */
import * as path from "node:path";
import type { FeatureFlags } from "../../config/features.js";
import { parseGoDuration, formatGoDuration } from "../duration.js";
import type { Step } from "../types.js";
import { FieldError, goQuote } from "./field-error.js";
import { requireApiFields } from "./feature-gate.js";
import { isDNS1123Label } from "./k8s-names.js";
import { validateRef } from "./ref.js";

const STEP_RESULT_USAGE = /\$\(steps\..*?\.results\..*?\)/;
const STEP_ARTIFACT_USAGE = /\$\(steps\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/;
const TASK_ARTIFACT_USAGE = /\$\(tasks\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/;

/** Go `filepath.Clean` for slash paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

function stepArtifactReferenced(s: string): boolean {
  return STEP_ARTIFACT_USAGE.test(s) || s.includes("$(step.artifacts.path)");
}

function taskArtifactReferenced(s: string): boolean {
  return TASK_ARTIFACT_USAGE.test(s) || s.includes("$(artifacts.path)");
}

function artifactsGate(s: Step, features: FeatureFlags): FieldError | undefined {
  if (features.enableArtifacts) return undefined;
  const texts = [
    s.script ?? "",
    ...(s.command ?? []),
    ...(s.args ?? []),
    ...(s.env ?? []).map((e) => e.value ?? ""),
  ];
  if (texts.some((t) => t !== "" && (stepArtifactReferenced(t) || taskArtifactReferenced(t)))) {
    return FieldError.generic(
      "feature flag enable-artifacts should be set to true to use artifacts feature.",
      "",
    );
  }
  return undefined;
}

/** The fields Tekton checks for step-result and step-artifact references, in its order. */
function restrictedFields(s: Step, withScript: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [
    [s.name ?? "", "name"],
    [s.image ?? "", "image"],
  ];
  if (withScript) out.push([s.script ?? "", "script"]);
  out.push([s.imagePullPolicy ?? "", "imagePullPolicy"], [s.workingDir ?? "", "workingDir"]);
  for (const e of s.envFrom ?? []) {
    out.push([e.prefix ?? "", "envFrom.prefix"]);
    if (e.configMapRef) out.push([e.configMapRef.name ?? "", "envFrom.configMapRef"]);
    if (e.secretRef) out.push([e.secretRef.name ?? "", "envFrom.secretRef"]);
  }
  for (const v of s.volumeMounts ?? []) {
    out.push(
      [v.name ?? "", "volumeMounts.name"],
      [v.mountPath ?? "", "volumeMounts.mountPath"],
      [v.subPath ?? "", "volumeMounts.subPath"],
    );
  }
  for (const d of (s.volumeDevices ?? []) as Array<{ name?: string; devicePath?: string }>) {
    out.push([d.name ?? "", "volumeDevices.name"], [d.devicePath ?? "", "volumeDevices.devicePath"]);
  }
  return out;
}

function refConflicts(s: Step): FieldError {
  let errs = FieldError.empty();
  const conflict = (cond: boolean, message: string, field: string): void => {
    if (cond) errs = errs.also(FieldError.of(message, [field]));
  };
  conflict((s.image ?? "") !== "", "image cannot be used with Ref", "image");
  conflict((s.command ?? []).length > 0, "command cannot be used with Ref", "command");
  conflict((s.args ?? []).length > 0, "args cannot be used with Ref", "args");
  conflict((s.script ?? "") !== "", "script cannot be used with Ref", "script");
  conflict((s.workingDir ?? "") !== "", "working dir cannot be used with Ref", "workingDir");
  conflict(s.env !== undefined, "env cannot be used with Ref", "env");
  conflict((s.volumeMounts ?? []).length > 0, "volumeMounts cannot be used with Ref", "volumeMounts");
  conflict((s.results ?? []).length > 0, "results cannot be used with Ref", "results");
  return errs;
}

/** Validates one (template-merged) step. */
export function validateStep(s: Step, features: FeatureFlags): FieldError {
  const gate = artifactsGate(s, features);
  if (gate !== undefined) return gate;

  let errs = FieldError.empty();
  if (s.ref !== undefined) {
    errs = errs.also(validateRef(s.ref, features), refConflicts(s));
  } else {
    if ((s.params ?? []).length > 0)
      errs = errs.also(FieldError.of("params cannot be used without Ref", ["params"]));
    if ((s.image ?? "") === "") errs = errs.also(FieldError.missingField("Image"));
    if ((s.script ?? "") !== "" && (s.command ?? []).length > 0) {
      errs = errs.also(FieldError.of("script cannot be used with command", ["script"]));
    }
  }

  const name = s.name ?? "";
  if (name !== "" && isDNS1123Label(name).length > 0) {
    errs = errs.also(
      FieldError.of(
        `invalid value ${goQuote(name)}`,
        ["name"],
        "Task step name must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
      ),
    );
  }

  if (typeof s.timeout === "string") {
    let ns: bigint | undefined;
    try {
      ns = parseGoDuration(s.timeout);
    } catch {
      ns = undefined; // malformed durations are reported as decode errors (see durations.ts)
    }
    if (ns !== undefined && ns < 0n) return FieldError.invalidValue(formatGoDuration(ns), "negative timeout");
  }

  for (const [j, vm] of (s.volumeMounts ?? []).entries()) {
    const clean = cleanPath(vm.mountPath ?? "");
    if (clean.startsWith("/tekton/") && !clean.startsWith("/tekton/home")) {
      errs = errs.also(
        FieldError.generic(
          `volumeMount cannot be mounted under /tekton/ (volumeMount ${goQuote(vm.name ?? "")} mounted at ${goQuote(vm.mountPath ?? "")})`,
          "mountPath",
        ).viaFieldIndex("volumeMounts", j),
      );
    }
    if ((vm.name ?? "").startsWith("tekton-internal-")) {
      errs = errs.also(
        FieldError.generic(
          `volumeMount name ${goQuote(vm.name ?? "")} cannot start with "tekton-internal-"`,
          "name",
        ).viaFieldIndex("volumeMounts", j),
      );
    }
  }

  const onError = s.onError ?? "";
  if (
    onError !== "" &&
    !onError.startsWith("$(params") &&
    onError !== "continue" &&
    onError !== "stopAndFail"
  ) {
    errs = errs.also(
      FieldError.of(
        `invalid value: "${onError}"`,
        ["onError"],
        'Task step onError must be either "continue" or "stopAndFail"',
      ),
    );
  }

  if ((s.script ?? "") !== "" && (s.script ?? "").trim().startsWith("#!win")) {
    errs = errs.also(requireApiFields(features, "windows script support", "alpha").viaField("script"));
  }
  if (s.stdoutConfig !== undefined) {
    errs = errs.also(
      requireApiFields(features, "step stdout stream support", "alpha").viaField("stdoutconfig"),
    );
  }
  if (s.stderrConfig !== undefined) {
    errs = errs.also(
      requireApiFields(features, "step stderr stream support", "alpha").viaField("stderrconfig"),
    );
  }

  for (const [value, field] of restrictedFields(s, true)) {
    if (STEP_RESULT_USAGE.test(value)) {
      errs = errs.also(
        FieldError.of("stepResult substitutions are only allowed in env, command and args. Found usage in", [
          field,
        ]),
      );
    }
  }
  for (const [value, field] of restrictedFields(s, false)) {
    if (stepArtifactReferenced(value)) {
      errs = errs.also(
        FieldError.of(
          "stepArtifact substitutions are only allowed in env, command, args and script. Found usage in",
          [field],
        ),
      );
    }
  }
  return errs;
}
