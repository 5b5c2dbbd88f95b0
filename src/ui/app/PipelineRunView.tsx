/**
 * A PipelineRun's page body (or a Pipeline's): the graph, the child runs with their state and
 * duration (kept current by watching TaskRuns and CustomRuns labelled with the PipelineRun),
 * skipped tasks with their reasons, results, params and workspaces.
 */
import { useMemo } from "preact/hooks";
import type { Pipeline, PipelineRun } from "../../api/pipeline-types.js";
import type { KubeObject } from "../../api/types.js";
import { pipelineGraph } from "../model/graph.js";
import { UiKinds, collectionPath, kindOf } from "../model/kinds.js";
import { runDuration, runState, succeededCondition } from "../model/status.js";
import { NameValues, Params, Section, Workspaces } from "./Details.js";
import { Graph } from "./Graph.js";
import { useLiveList, useNow } from "./hooks.js";
import { hrefOf } from "./route.js";
import { useSession } from "./session.js";
import { StatusIcon } from "./StatusIcon.js";

/** Label Tekton puts on a PipelineRun's children. */
const PIPELINE_RUN_LABEL = "tekton.dev/pipelineRun";

function ChildRuns(props: { run: PipelineRun; runs: ReadonlyMap<string, KubeObject> }) {
  const now = useNow();
  const refs = props.run.status?.childReferences ?? [];
  const skipped = props.run.status?.skippedTasks ?? [];
  const ns = props.run.metadata.namespace ?? "default";
  if (refs.length === 0 && skipped.length === 0) return null;
  return (
    <Section title="Tasks" testId="children">
      <table class="kv children">
        <tbody>
          {refs.map((c) => {
            const run = props.runs.get(c.name);
            const kind = kindOf(c.kind);
            const status = (run?.["status"] ?? {}) as { startTime?: string; completionTime?: string };
            return (
              <tr key={c.name} data-child={c.name}>
                <th scope="row">{c.displayName ?? c.pipelineTaskName}</th>
                <td>
                  {run ? <StatusIcon state={runState(run)} reason={succeededCondition(run)?.reason} /> : null}
                </td>
                <td>
                  {kind ? (
                    <a href={hrefOf({ page: "run", plural: kind.plural, namespace: ns, name: c.name })}>
                      {c.name}
                    </a>
                  ) : (
                    c.name
                  )}{" "}
                  <span class="muted">{c.kind}</span>
                </td>
                <td>{run ? (succeededCondition(run)?.reason ?? "") : ""}</td>
                <td>{runDuration(status.startTime, status.completionTime, now) ?? ""}</td>
              </tr>
            );
          })}
          {skipped.map((s) => (
            <tr key={`skipped-${s.name}`} data-skipped={s.name}>
              <th scope="row">{s.name}</th>
              <td>⤼</td>
              <td colSpan={3}>
                skipped: <span data-testid="skip-reason">{s.reason}</span>
                {s.whenExpressions?.length
                  ? ` (${s.whenExpressions.map((w) => `${w.input ?? w.cel ?? ""} ${w.operator ?? ""} ${(w.values ?? []).join(",")}`).join("; ")})`
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

/** The body of a PipelineRun's or a Pipeline's page. */
export function PipelineRunView(props: { object: KubeObject }) {
  const { api } = useSession();
  const isRun = props.object.kind === "PipelineRun";
  const run = props.object as PipelineRun;
  const ns = props.object.metadata.namespace ?? "default";
  const spec = isRun ? (run.status?.pipelineSpec ?? run.spec.pipelineSpec) : (props.object as Pipeline).spec;
  const query = useMemo(
    () => ({ labelSelector: `${PIPELINE_RUN_LABEL}=${props.object.metadata.name ?? ""}` }),
    [props.object.metadata.name],
  );
  const taskRuns = useLiveList<KubeObject>(
    api,
    isRun ? collectionPath(UiKinds.TaskRun, ns) : undefined,
    query,
  );
  const customRuns = useLiveList<KubeObject>(
    api,
    isRun ? collectionPath(UiKinds.CustomRun, ns) : undefined,
    query,
  );
  const runs = useMemo(
    () => new Map([...taskRuns.items, ...customRuns.items].map((o) => [o.metadata.name ?? "", o])),
    [taskRuns.items, customRuns.items],
  );
  const graph = useMemo(
    () => (spec ? pipelineGraph(spec, isRun ? run.status : undefined) : undefined),
    [spec, run.status, isRun],
  );
  return (
    <>
      {graph ? (
        <Section title="Graph" testId="graph-card">
          <Graph graph={graph} namespace={ns} runs={runs} />
        </Section>
      ) : isRun ? (
        <p class="muted">The pipeline has not been resolved yet.</p>
      ) : null}
      {isRun ? <ChildRuns run={run} runs={runs} /> : null}
      {isRun ? <NameValues title="Results" items={run.status?.results} /> : null}
      {isRun ? <Params params={run.spec.params} /> : null}
      {isRun ? <Workspaces workspaces={run.spec.workspaces} /> : null}
    </>
  );
}
