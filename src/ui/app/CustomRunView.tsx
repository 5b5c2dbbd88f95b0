/**
 * A CustomRun's (or Run's) page body: what it runs, its results, `extraFields`, params, retries,
 * and for an Approval run the approvers, the answers so far and approve/reject buttons.
 */
import { useState } from "preact/hooks";
import { stringify } from "yaml";
import type { KubeObject } from "../../api/types.js";
import { ApprovalError, answeredStatus } from "../../customtasks/builtins/approval-answer.js";
import {
  APPROVAL_API_VERSION,
  APPROVAL_KIND,
  approvalFieldsOf,
} from "../../customtasks/builtins/approval.js";
import {
  describeTarget,
  paramsOf,
  targetOf,
  workspacesOf,
  type AnyCustomRun,
} from "../../customtasks/run-view.js";
import { objectPath, type UiKind } from "../model/kinds.js";
import { isFinished, runState } from "../model/status.js";
import { ApiFailure } from "./api.js";
import { NameValues, Params, Section, Workspaces } from "./Details.js";
import { useSession } from "./session.js";
import { StatusIcon } from "./StatusIcon.js";

const USER_KEY = "tektite.approver";

function Approval(props: { kind: UiKind; run: AnyCustomRun }) {
  const { api } = useSession();
  const fields = approvalFieldsOf(props.run);
  const [user, setUser] = useState(() => localStorage.getItem(USER_KEY) ?? "");
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  if (fields === undefined) return <p class="muted">The approval has not started yet.</p>;
  const ns = props.run.metadata.namespace ?? "default";
  const path = `${objectPath(props.kind, ns, props.run.metadata.name ?? "")}/status`;

  const answer = async (decision: "approve" | "reject"): Promise<void> => {
    setBusy(true);
    setError(undefined);
    localStorage.setItem(USER_KEY, user);
    try {
      for (let attempt = 0; ; attempt++) {
        const latest = await api.request<AnyCustomRun>("GET", path.replace(/\/status$/, ""));
        const status = answeredStatus(
          latest,
          { user, decision, ...(message ? { message } : {}) },
          new Date(),
        );
        try {
          await api.request("PUT", path, { body: { ...latest, status } });
          setMessage("");
          return;
        } catch (err) {
          if (!(err instanceof ApiFailure) || err.code !== 409 || attempt >= 5) throw err;
        }
      }
    } catch (err) {
      setError(err instanceof ApprovalError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const approvals = fields.approversResponse.filter((r) => r.response === "approved").length;
  return (
    <Section title="Approval" testId="approval">
      {fields.description ? <p>{fields.description}</p> : null}
      <p>
        State: <strong data-testid="approval-state">{fields.approvalState}</strong> · {approvals} of{" "}
        {fields.numberOfApprovalsRequired} approvals · approvers:{" "}
        {fields.approvers.length > 0 ? fields.approvers.join(", ") : "anyone"}
      </p>
      {fields.approversResponse.length > 0 ? (
        <ul>
          {fields.approversResponse.map((r) => (
            <li key={r.name}>
              {r.name} {r.response} {r.message ? `: “${r.message}”` : ""} <span class="muted">{r.time}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {!isFinished(props.run) ? (
        <form class="approve" onSubmit={(e) => e.preventDefault()}>
          <label>
            Your name{" "}
            <input name="user" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
          </label>
          <label>
            Message{" "}
            <input name="message" value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
          </label>
          <button type="button" disabled={busy || user.trim() === ""} onClick={() => void answer("approve")}>
            Approve
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy || user.trim() === ""}
            onClick={() => void answer("reject")}
          >
            Reject
          </button>
        </form>
      ) : null}
      {error !== undefined ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </Section>
  );
}

/** The body of a CustomRun's or Run's page. */
export function CustomRunView(props: { kind: UiKind; run: KubeObject }) {
  const run = props.run as AnyCustomRun;
  const target = targetOf(run);
  const isApproval = target?.apiVersion === APPROVAL_API_VERSION && target.kind === APPROVAL_KIND;
  const extra = run.status?.extraFields;
  const retries = run.status?.retriesStatus ?? [];
  return (
    <>
      <Section title="Custom task" testId="custom-task">
        <p>
          <code>{describeTarget(run)}</code>
        </p>
      </Section>
      {isApproval ? <Approval kind={props.kind} run={run} /> : null}
      <NameValues title="Results" items={run.status?.results} />
      {extra !== undefined && extra !== null ? (
        <Section title="Extra fields" testId="extra-fields">
          <pre>{stringify(extra)}</pre>
        </Section>
      ) : null}
      <Params params={paramsOf(run)} />
      <Workspaces workspaces={workspacesOf(run)} />
      {retries.length > 0 ? (
        <Section title="Retries" testId="retries">
          <ol>
            {retries.map((r, i) => {
              const c = r.conditions?.find((x) => x.type === "Succeeded");
              return (
                <li key={i}>
                  <StatusIcon state={runState({ status: r })} /> {c?.reason ?? ""} {c?.message ?? ""}
                </li>
              );
            })}
          </ol>
        </Section>
      ) : null}
    </>
  );
}
