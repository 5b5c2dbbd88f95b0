/**
 * A kind's list: live rows from a list + watch, a label filter (sent to the server as a
 * labelSelector), a text filter, sortable columns, and windowed rendering.
 */
import { useMemo, useState } from "preact/hooks";
import type { KubeObject } from "../../api/types.js";
import { collectionPath, type UiKind } from "../model/kinds.js";
import { SortKey, matchesText, rowOf, sortRows, type ListRow, type Sort } from "../model/rows.js";
import { age, runDuration } from "../model/status.js";
import { useLiveList, useNow } from "./hooks.js";
import { hrefOf } from "./route.js";
import { ALL_NAMESPACES, useSession } from "./session.js";
import { StatusIcon } from "./StatusIcon.js";
import { VirtualRows } from "./VirtualRows.js";

const ROW_HEIGHT = 36;

/** What the "ref" column shows for each kind of run. */
const REF_HEADING: Readonly<Record<string, string>> = {
  TaskRun: "Task",
  PipelineRun: "Pipeline",
  CustomRun: "Custom task",
  Run: "Custom task",
};

function SortButton(props: { label: string; k: SortKey; sort: Sort; setSort: (s: Sort) => void }) {
  const active = props.sort.key === props.k;
  const arrow = active ? (props.sort.descending ? " ▼" : " ▲") : "";
  return (
    <button
      type="button"
      class={`sort ${active ? "active" : ""}`}
      aria-sort={active ? (props.sort.descending ? "descending" : "ascending") : "none"}
      onClick={() =>
        props.setSort({
          key: props.k,
          descending: active ? !props.sort.descending : props.k !== SortKey.Name,
        })
      }
    >
      {props.label}
      {arrow}
    </button>
  );
}

/** The list page of one kind. */
export function ListPage(props: { kind: UiKind }) {
  const { api, namespace } = useSession();
  const [labels, setLabels] = useState("");
  const [appliedLabels, setAppliedLabels] = useState("");
  const [text, setText] = useState("");
  const [sort, setSort] = useState<Sort>({ key: SortKey.Started, descending: true });
  const ns = namespace === ALL_NAMESPACES ? undefined : namespace;
  const query = useMemo(
    (): Record<string, string> =>
      appliedLabels.trim() !== "" ? { labelSelector: appliedLabels.trim() } : {},
    [appliedLabels],
  );
  const list = useLiveList<KubeObject>(api, collectionPath(props.kind, ns), query);
  const now = useNow(props.kind.isRun ? 1000 : 60_000);
  const rows = useMemo(() => list.items.map(rowOf), [list.items]);
  // The clock only matters to the duration sort: other sorts are not redone every second.
  const sortClock = sort.key === SortKey.Duration ? now : undefined;
  const shown = useMemo(
    () =>
      sortRows(
        rows.filter((r) => matchesText(r, text)),
        sort,
        sortClock ?? new Date(),
      ),
    [rows, text, sort, sortClock],
  );

  const renderRow = (i: number) => {
    const r = shown[i] as ListRow;
    return (
      <a
        key={r.key}
        class="row"
        style={{ height: `${ROW_HEIGHT}px` }}
        href={hrefOf({ page: "run", plural: props.kind.plural, namespace: r.namespace, name: r.name })}
        data-name={r.name}
      >
        {props.kind.isRun ? <StatusIcon state={r.state} reason={r.reason} /> : <span class="status" />}
        <span class="c-name">{r.name}</span>
        {ns === undefined ? <span class="c-ns">{r.namespace}</span> : null}
        <span class="c-ref">{r.ref}</span>
        {props.kind.isRun ? <span class="c-reason">{r.reason}</span> : null}
        <span class="c-time" title={r.started ?? r.created}>
          {age(r.started ?? r.created, now)}
        </span>
        {props.kind.isRun ? (
          <span class="c-dur">{runDuration(r.started, r.completed, now) ?? ""}</span>
        ) : null}
      </a>
    );
  };

  return (
    <section class="list-page" aria-labelledby="list-title">
      <div class="toolbar">
        <h1 id="list-title">{props.kind.title}</h1>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setAppliedLabels(labels);
          }}
        >
          <label>
            <span class="sr-only">Label selector</span>
            <input
              type="search"
              name="labels"
              placeholder="label filter: app=web,env!=prod"
              value={labels}
              onInput={(e) => setLabels(e.currentTarget.value)}
              onBlur={() => setAppliedLabels(labels)}
            />
          </label>
          <label>
            <span class="sr-only">Filter by text</span>
            <input
              type="search"
              name="text"
              placeholder="filter by name, reason…"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </label>
        </form>
        <span class="count" data-testid="row-count">
          {shown.length === rows.length ? `${rows.length}` : `${shown.length} of ${rows.length}`}
          {list.synced ? "" : "…"}
        </span>
      </div>
      {list.error !== undefined ? (
        <p class="error" role="alert">
          {list.error}
        </p>
      ) : null}
      <div class="row head" role="presentation">
        <SortButton label="Status" k={SortKey.Status} sort={sort} setSort={setSort} />
        <span class="c-name">
          <SortButton label="Name" k={SortKey.Name} sort={sort} setSort={setSort} />
        </span>
        {ns === undefined ? <span class="c-ns">Namespace</span> : null}
        <span class="c-ref">{REF_HEADING[props.kind.kind] ?? ""}</span>
        {props.kind.isRun ? <span class="c-reason">Reason</span> : null}
        <span class="c-time">
          <SortButton
            label={props.kind.isRun ? "Started" : "Created"}
            k={SortKey.Started}
            sort={sort}
            setSort={setSort}
          />
        </span>
        {props.kind.isRun ? (
          <span class="c-dur">
            <SortButton label="Duration" k={SortKey.Duration} sort={sort} setSort={setSort} />
          </span>
        ) : null}
      </div>
      {list.synced && shown.length === 0 ? <p class="empty">No {props.kind.title} here.</p> : null}
      <VirtualRows
        count={shown.length}
        rowHeight={ROW_HEIGHT}
        renderRow={renderRow}
        class="rows"
        label={props.kind.title}
        testId="run-list"
      />
    </section>
  );
}
