/**
 * One object's page, kept current by a watch: the header (status, reason, message, times,
 * actions) and the kind's body — steps and logs for TaskRuns, the graph for PipelineRuns,
 * approval and extra fields for CustomRuns — then the YAML.
 */
import type { KubeObject, TaskRun } from "../../api/types.js";
import { collectionPath, type UiKind } from "../model/kinds.js";
import { age, runDuration, runState, succeededCondition } from "../model/status.js";
import { Actions } from "./Actions.js";
import { CustomRunView } from "./CustomRunView.js";
import { ConditionView, YamlView } from "./Details.js";
import { useLiveObject, useNow } from "./hooks.js";
import { PipelineRunView } from "./PipelineRunView.js";
import { hrefOf } from "./route.js";
import { useSession } from "./session.js";
import { StatusIcon } from "./StatusIcon.js";
import { TaskRunView } from "./TaskRunView.js";

function Body(props: { kind: UiKind; object: KubeObject }) {
  switch (props.kind.kind) {
    case "TaskRun":
      return <TaskRunView run={props.object as TaskRun} />;
    case "CustomRun":
    case "Run":
      return <CustomRunView kind={props.kind} run={props.object} />;
    case "PipelineRun":
    case "Pipeline":
      return <PipelineRunView object={props.object} />;
    default:
      return null;
  }
}

/** The page of `kind` `namespace/name`. */
export function RunPage(props: { kind: UiKind; namespace: string; name: string }) {
  const { api } = useSession();
  const now = useNow();
  const { object, error } = useLiveObject<KubeObject>(
    api,
    collectionPath(props.kind, props.namespace),
    props.name,
  );
  const back = (
    <a href={hrefOf({ page: "list", plural: props.kind.plural })} class="back">
      ← {props.kind.title}
    </a>
  );
  if (object === undefined)
    return (
      <section>
        {back}
        <p class="muted">{error ?? "Loading…"}</p>
      </section>
    );
  if (object === null)
    return (
      <section>
        {back}
        <p class="error" role="alert">
          {props.kind.kind} {props.namespace}/{props.name} does not exist (any more).
        </p>
      </section>
    );
  const status = (object["status"] ?? {}) as { startTime?: string; completionTime?: string };
  const condition = succeededCondition(object);
  return (
    <article class="run-page" data-testid="run-page" data-kind={object.kind}>
      {back}
      <header class="run-head">
        <h1>
          {props.kind.isRun ? <StatusIcon state={runState(object)} reason={condition?.reason} /> : null}{" "}
          <span data-testid="run-name">{props.name}</span>
        </h1>
        <p class="muted">
          {object.kind} in {props.namespace}
          {status.startTime ? ` · started ${age(status.startTime, now)}` : ""}
          {status.startTime ? ` · ${runDuration(status.startTime, status.completionTime, now) ?? ""}` : ""}
          {object.metadata.labels?.["dashboard.tekton.dev/rerunOf"]
            ? ` · rerun of ${object.metadata.labels["dashboard.tekton.dev/rerunOf"]}`
            : ""}
        </p>
        {props.kind.isRun ? <ConditionView condition={condition} /> : null}
        <Actions kind={props.kind} object={object} />
      </header>
      <Body kind={props.kind} object={object} />
      <YamlView object={object} />
    </article>
  );
}
