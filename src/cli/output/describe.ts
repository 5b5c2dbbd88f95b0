/**
 * `tektite describe` texts, laid out like `tkn taskrun describe` / `tkn customrun describe`:
 * a header of fields, then sections (Status, Params, Results, Workspaces, Steps, Sidecars,
 * Retries) as small tables with tkn's ` ∙ ` bullets.
 *
 * @module
 */
import { succeededCondition } from "../../api/conditions.js";
import YAML from "yaml";
import type {
  ContainerState,
  KubeObject,
  Param,
  ParamValue,
  StepState,
  TaskRun,
  TaskRunStatus,
  WorkspaceBinding,
} from "../../api/types.js";
import { targetOf, type AnyCustomRun } from "../../customtasks/run-view.js";
import { ageOf, conditionText, renderTable, runDuration } from "./tables.js";

const BULLET = " ∙ ";

/** `Key:   value` lines, aligned; undefined values are left out. */
export function fields(pairs: Array<[string, string | undefined]>): string {
  const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  const width = Math.max(...shown.map(([k]) => k.length + 1)) + 3;
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join("");
}

/** The `Labels:` block. */
export function labels(obj: KubeObject): string {
  const entries = Object.entries(obj.metadata.labels ?? {});
  if (entries.length === 0) return "Labels:\n No labels\n";
  return `Labels:\n${entries.map(([k, v]) => ` ${k}=${v}\n`).join("")}`;
}

/** A titled section. */
export function section(title: string, body: string): string {
  return `\n${title}\n\n${body}`;
}

/** A table with tkn's bullets, or `empty` when there are no rows. */
export function bulleted(header: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const head = [` ${header[0] ?? ""}`, ...header.slice(1)];
  return renderTable([head, ...rows.map((r) => [`${BULLET}${r[0] ?? ""}`, ...r.slice(1)])]);
}

/** A param value as one line: strings as they are, arrays `[a, b]`, objects `{k: v}`. */
export function paramText(v: ParamValue): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.join(", ")}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}: ${x}`)
    .join(", ")}}`;
}

/** The `Params` section. */
export function paramsSection(params: Param[] | undefined): string {
  return section(
    "Params",
    bulleted(
      ["NAME", "VALUE"],
      (params ?? []).map((p) => [p.name, paramText(p.value)]),
      "No params",
    ),
  );
}

interface RunStatusLike {
  conditions?: TaskRunStatus["conditions"];
  startTime?: string;
  completionTime?: string;
  podName?: string;
}

/** The `Status` section (started, duration, condition; the message below). */
export function statusSection(status: RunStatusLike | undefined, now: Date): string {
  const c = succeededCondition(status);
  const started = status?.startTime !== undefined ? `${ageOf(status.startTime, now)} ago` : "---";
  let out = renderTable([
    ["STARTED", "DURATION", "STATUS"],
    [
      started,
      runDuration(
        status?.startTime,
        status?.completionTime ?? (c?.status === "Unknown" ? undefined : c?.lastTransitionTime),
        now,
      ),
      conditionText(c),
    ],
  ]);
  if (c?.message) out += section("Message", `${c.message}\n`);
  return section("Status", out);
}

function retriesSection(retries: RunStatusLike[] | undefined, now: Date, withPod: boolean): string {
  if (retries === undefined || retries.length === 0) return "";
  const rows = retries.map((r, i) => {
    const c = succeededCondition(r);
    const row = [
      String(i),
      r.startTime !== undefined ? `${ageOf(r.startTime, now)} ago` : "---",
      runDuration(r.startTime, r.completionTime, now),
      conditionText(c),
    ];
    return withPod ? [...row, r.podName ?? "---"] : row;
  });
  const header = ["ATTEMPT", "STARTED", "DURATION", "STATUS", ...(withPod ? ["POD"] : [])];
  return section("Retries", bulleted(header, rows, ""));
}

/** A workspace binding in tkn's words. */
export function workspaceText(w: WorkspaceBinding): string {
  if (w.emptyDir !== undefined) return "EmptyDir (emptyDir=)";
  if (w.persistentVolumeClaim !== undefined) return `PVC (claimName=${w.persistentVolumeClaim.claimName})`;
  if (w.configMap !== undefined) return `ConfigMap (config=${w.configMap.name ?? ""})`;
  if (w.secret !== undefined) return `Secret (secret=${w.secret.secretName ?? ""})`;
  if (w.volumeClaimTemplate !== undefined) return "VolumeClaimTemplate";
  if (w.projected !== undefined) return "Projected";
  if (w.csi !== undefined) return "CSI";
  return "---";
}

/** tkn's word for a container state: the terminated or waiting reason, or `Running`. */
export function stateText(s: ContainerState & { terminationReason?: string }): string {
  if (s.terminated)
    return (
      s.terminationReason ?? s.terminated.reason ?? (s.terminated.exitCode === 0 ? "Completed" : "Error")
    );
  if (s.running) return "Running";
  return s.waiting?.reason ?? "Waiting";
}

function stepsSection(steps: StepState[] | undefined): string {
  const rows = (steps ?? []).map((s) => [
    s.name,
    stateText(s),
    s.terminated ? String(s.terminated.exitCode) : "---",
  ]);
  return section("Steps", bulleted(["NAME", "STATUS", "EXIT CODE"], rows, "No steps"));
}

/** The text of `describe taskrun`. */
export function describeTaskRun(tr: TaskRun, now: Date): string {
  const ref = tr.spec.taskRef;
  const refText = ref?.name ?? (ref?.resolver !== undefined ? `resolver ${ref.resolver}` : undefined);
  let out = fields([
    ["Name", tr.metadata.name ?? ""],
    ["Namespace", tr.metadata.namespace ?? "default"],
    ["Task Ref", refText ?? (tr.spec.taskSpec !== undefined ? "(embedded taskSpec)" : "---")],
    ["Service Account", tr.spec.serviceAccountName ?? "default"],
    ["Timeout", tr.spec.timeout ?? "---"],
    ["Retries", tr.spec.retries !== undefined ? String(tr.spec.retries) : undefined],
    ["Pod", tr.status?.podName],
  ]);
  out += labels(tr);
  out += statusSection(tr.status, now);
  out += paramsSection(tr.spec.params);
  const results = (tr.status?.results ?? []).map((r) => [r.name, paramText(r.value as ParamValue)]);
  out += section("Results", bulleted(["NAME", "VALUE"], results, "No results"));
  const ws = (tr.spec.workspaces ?? []).map((w) => [w.name, w.subPath ?? "---", workspaceText(w)]);
  out += section("Workspaces", bulleted(["NAME", "SUB PATH", "WORKSPACE BINDING"], ws, "No workspaces"));
  out += stepsSection(tr.status?.steps);
  const sidecars = (tr.status?.sidecars ?? []).map((s) => [s.name, stateText(s)]);
  out += section("Sidecars", bulleted(["NAME", "STATUS"], sidecars, "No sidecars"));
  out += retriesSection(tr.status?.retriesStatus, now, true);
  return out;
}

function indentYaml(value: unknown): string {
  return YAML.stringify(value, { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}\n`)
    .join("");
}

/** The text of `describe customrun` (and of a v1alpha1 Run). */
export function describeCustomRun(run: AnyCustomRun, now: Date): string {
  const target = targetOf(run);
  let out = fields([
    ["Name", run.metadata.name ?? ""],
    ["Namespace", run.metadata.namespace ?? "default"],
    ["Kind", run.kind === "Run" ? "Run (tekton.dev/v1alpha1)" : undefined],
    ["Service Account", run.spec?.serviceAccountName],
    ["Timeout", run.spec?.timeout ?? "---"],
    ["Retries", run.spec?.retries !== undefined ? String(run.spec.retries) : undefined],
  ]);
  if (target === undefined) out += "Custom Ref:\n No custom task\n";
  else {
    out += target.via === "ref" ? "Custom Ref:\n" : "Custom Spec:\n";
    out += fields([
      [" API Version", target.apiVersion],
      [" Kind", target.kind],
      [" Name", target.name],
    ]);
    if (target.spec !== undefined) out += ` Spec:\n${indentYaml(target.spec)}`;
  }
  out += labels(run);
  out += statusSection(run.status, now);
  out += paramsSection(run.spec?.params);
  const results = (run.status?.results ?? []).map((r) => [r.name, r.value]);
  out += section("Results", bulleted(["NAME", "VALUE"], results, "No results"));
  out += retriesSection(run.status?.retriesStatus, now, false);
  return out;
}
