/**
 * `tektite describe pipelinerun|pipeline` texts, laid out like `tkn pipelinerun describe` /
 * `tkn pipeline describe`: fields, Status, Params, Results, Workspaces, the child runs
 * (`Taskruns`) and the skipped tasks.
 *
 * @module
 */
import { succeededCondition } from "../../api/conditions.js";
import type { Pipeline, PipelineRun, PipelineTask } from "../../api/pipeline-types.js";
import type { KubeObject } from "../../api/types.js";
import {
  bulleted,
  fields,
  labels,
  paramText,
  paramsSection,
  section,
  statusSection,
  workspaceText,
} from "./describe.js";
import { ageOf, conditionText, runDuration } from "./tables.js";

interface ChildStatus {
  startTime?: string;
  completionTime?: string;
}

/** The text of `describe pipelinerun`; `children` are the runs it created (any order). */
export function describePipelineRun(pr: PipelineRun, children: readonly KubeObject[], now: Date): string {
  const spec = pr.spec ?? {};
  const ref = spec.pipelineRef;
  const refText = ref?.name ?? (ref?.resolver !== undefined ? `resolver ${ref.resolver}` : undefined);
  const t = spec.timeouts ?? {};
  let out = fields([
    ["Name", pr.metadata.name ?? ""],
    ["Namespace", pr.metadata.namespace ?? "default"],
    ["Pipeline Ref", refText ?? (spec.pipelineSpec !== undefined ? "(embedded pipelineSpec)" : "---")],
    ["Service Account", spec.taskRunTemplate?.serviceAccountName ?? "default"],
    ["Status", spec.status],
  ]);
  out += "Timeouts:\n";
  out += fields([
    [" Pipeline", t.pipeline ?? "---"],
    [" Tasks", t.tasks],
    [" Finally", t.finally],
  ]);
  out += labels(pr);
  out += statusSection(pr.status, now);
  out += paramsSection(spec.params);
  const results = (pr.status?.results ?? []).map((r) => [r.name, paramText(r.value)]);
  out += section("Results", bulleted(["NAME", "VALUE"], results, "No results"));
  const ws = (spec.workspaces ?? []).map((w) => [w.name, w.subPath ?? "---", workspaceText(w)]);
  out += section("Workspaces", bulleted(["NAME", "SUB PATH", "WORKSPACE BINDING"], ws, "No workspaces"));
  const byName = new Map(children.map((c) => [c.metadata.name ?? "", c] as const));
  const rows = (pr.status?.childReferences ?? []).map((ref) => {
    const child = byName.get(ref.name);
    const st = child?.["status"] as ChildStatus | undefined;
    return [
      ref.name,
      ref.pipelineTaskName,
      ref.kind,
      st?.startTime !== undefined ? `${ageOf(st.startTime, now)} ago` : "---",
      runDuration(st?.startTime, st?.completionTime, now),
      child !== undefined ? conditionText(succeededCondition(child["status"])) : "---",
    ];
  });
  out += section(
    "Taskruns",
    bulleted(["NAME", "TASK NAME", "KIND", "STARTED", "DURATION", "STATUS"], rows, "No taskruns"),
  );
  const skipped = (pr.status?.skippedTasks ?? []).map((s) => [s.name, s.reason]);
  if (skipped.length > 0) out += section("Skipped Tasks", bulleted(["NAME", "REASON"], skipped, ""));
  return out;
}

function taskTarget(pt: PipelineTask): string {
  if (pt.taskRef != null) {
    const kind =
      pt.taskRef.apiVersion !== undefined ? `${pt.taskRef.apiVersion} ${pt.taskRef.kind ?? ""}` : "";
    return `${pt.taskRef.name ?? `resolver ${pt.taskRef.resolver ?? ""}`}${kind !== "" ? ` (${kind})` : ""}`;
  }
  if (pt.taskSpec != null)
    return pt.taskSpec.kind !== undefined ? `(embedded ${pt.taskSpec.kind})` : "(embedded taskSpec)";
  if (pt.pipelineRef != null) return `pipeline ${pt.pipelineRef.name ?? ""}`;
  return "(embedded pipelineSpec)";
}

/** The text of `describe pipeline`. */
export function describePipeline(p: Pipeline): string {
  const spec = p.spec ?? {};
  let out = fields([
    ["Name", p.metadata.name ?? ""],
    ["Namespace", p.metadata.namespace ?? "default"],
    ["Description", spec.description],
  ]);
  const params = (spec.params ?? []).map((x) => [
    x.name,
    x.type ?? "string",
    x.description ?? "---",
    x.default !== undefined ? paramText(x.default) : "---",
  ]);
  out += section("Params", bulleted(["NAME", "TYPE", "DESCRIPTION", "DEFAULT VALUE"], params, "No params"));
  const results = (spec.results ?? []).map((r) => [r.name, r.description ?? "---"]);
  out += section("Results", bulleted(["NAME", "DESCRIPTION"], results, "No results"));
  const ws = (spec.workspaces ?? []).map((w) => [
    w.name,
    w.description ?? "---",
    w.optional ? "true" : "false",
  ]);
  out += section("Workspaces", bulleted(["NAME", "DESCRIPTION", "OPTIONAL"], ws, "No workspaces"));
  const tasks = (spec.tasks ?? []).map((t) => [
    t.name,
    taskTarget(t),
    (t.runAfter ?? []).join(", ") || "---",
  ]);
  out += section("Tasks", bulleted(["NAME", "TASKREF", "RUNAFTER"], tasks, "No tasks"));
  const fin = (spec.finally ?? []).map((t) => [t.name, taskTarget(t)]);
  if (fin.length > 0) out += section("Finally", bulleted(["NAME", "TASKREF"], fin, ""));
  return out;
}
