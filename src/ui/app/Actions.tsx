/**
 * The actions on a run: cancel, graceful stop (PipelineRuns), rerun, edit-and-run, delete. Each
 * is one request to the API; failures are shown beside the buttons.
 */
import { useState } from "preact/hooks";
import type { KubeObject } from "../../api/types.js";
import { MERGE_PATCH, cancelPatch, gracefulStopPatch } from "../model/actions.js";
import { collectionPath, objectPath, type UiKind } from "../model/kinds.js";
import { rerunOf } from "../model/rerun.js";
import { isFinished } from "../model/status.js";
import { hrefOf, navigate } from "./route.js";
import { useSession } from "./session.js";

/** The action bar of a run (or definition: delete only). */
export function Actions(props: { kind: UiKind; object: KubeObject }) {
  const { api } = useSession();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const o = props.object;
  const ns = o.metadata.namespace ?? "default";
  const name = o.metadata.name ?? "";
  const path = objectPath(props.kind, ns, name);
  const finished = isFinished(o);
  const specStatus = (o["spec"] as { status?: string } | undefined)?.status;

  const act = async (what: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: unknown) =>
    act(async () => void (await api.request("PATCH", path, { body, contentType: MERGE_PATCH })));
  const cancel = cancelPatch(o.kind);

  return (
    <div class="actions" role="toolbar" aria-label="Actions">
      {props.kind.isRun && !finished && cancel !== undefined ? (
        <button type="button" disabled={busy || specStatus !== undefined} onClick={() => void patch(cancel)}>
          Cancel
        </button>
      ) : null}
      {o.kind === "PipelineRun" && !finished ? (
        <button
          type="button"
          disabled={busy || specStatus !== undefined}
          title="Start no new tasks; let running ones finish, then run the finally tasks"
          onClick={() => void patch(gracefulStopPatch())}
        >
          Stop gracefully
        </button>
      ) : null}
      {props.kind.isRun ? (
        <>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const created = await api.request<KubeObject>("POST", collectionPath(props.kind, ns), {
                  body: rerunOf(o),
                });
                navigate({
                  page: "run",
                  plural: props.kind.plural,
                  namespace: ns,
                  name: created.metadata.name ?? "",
                });
              })
            }
          >
            Rerun
          </button>
          <a class="button" href={hrefOf({ page: "edit", plural: props.kind.plural, namespace: ns, name })}>
            Edit and run
          </a>
        </>
      ) : null}
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={() => {
          if (!confirm(`Delete ${o.kind} ${name}?`)) return;
          void act(async () => {
            await api.request("DELETE", path);
            navigate({ page: "list", plural: props.kind.plural });
          });
        }}
      >
        Delete
      </button>
      {error !== undefined ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
