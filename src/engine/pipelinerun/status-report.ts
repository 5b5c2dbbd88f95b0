/** The parts of a PipelineRun's status that list its tasks: child references and skipped tasks. */
import type { ChildStatusReference, PipelineRunStatus } from "../../api/pipeline-types.js";
import { ChildKind } from "./children.js";
import type { Facts } from "./facts.js";

export function childReferences(facts: Facts): ChildStatusReference[] {
  const out: ChildStatusReference[] = [];
  for (const t of facts.tasks) {
    for (const c of t.children) {
      const ref: ChildStatusReference = {
        apiVersion: t.kind === ChildKind.CustomRun ? "tekton.dev/v1beta1" : "tekton.dev/v1",
        kind: t.kind,
        name: c.metadata.name ?? "",
        pipelineTaskName: t.pt.name,
      };
      if (t.pt.displayName) ref.displayName = t.pt.displayName;
      if (t.pt.when !== undefined) ref.whenExpressions = t.pt.when;
      out.push(ref);
    }
  }
  return out;
}

export function skippedTasks(facts: Facts): NonNullable<PipelineRunStatus["skippedTasks"]> {
  const out: NonNullable<PipelineRunStatus["skippedTasks"]> = [];
  for (const t of facts.tasks) {
    const s = facts.skip(t);
    if (s.skipped)
      out.push({ name: t.pt.name, reason: s.reason, ...(t.pt.when ? { whenExpressions: t.pt.when } : {}) });
    const f = facts.finallySkip(t);
    if (f.skipped)
      out.push({
        name: t.pt.name,
        reason: f.reason,
        ...(f.reason === "When Expressions evaluated to false" && t.pt.when
          ? { whenExpressions: t.pt.when }
          : {}),
      });
  }
  return out;
}
