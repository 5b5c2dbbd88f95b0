/**
 * A step's log: streamed from `pods/log?follow=true&timestamps=true` while the step runs (read
 * once when it has finished), shown in a window of rows with ANSI colours, collapsible
 * `::group::` blocks, highlighted `::error::`/`::warning::` lines, a timestamps toggle and a
 * download of the raw text.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { parseAnsi } from "../model/ansi.js";
import { cssOf } from "../model/log-style.js";
import { podLogPath } from "../model/kinds.js";
import { LogDocument, type LogLine } from "../model/log.js";
import { ApiFailure } from "./api.js";
import { useSession } from "./session.js";
import { VirtualRows } from "./VirtualRows.js";

const LINE_HEIGHT = 18;
const TIMESTAMPS_KEY = "tektite.log.timestamps";

/** One rendered log line (exported for tests of the rendering in the browser). */
export function LogLineView(props: {
  line: LogLine;
  number: number;
  showTime: boolean;
  collapsed?: boolean;
  onToggle?: () => void;
}) {
  const { line } = props;
  const text = parseAnsi(line.text).map((seg, i) => (
    <span key={i} style={cssOf(seg.style)}>
      {seg.text}
    </span>
  ));
  const time = props.showTime && line.time ? <span class="log-time">{line.time}</span> : null;
  if (line.group !== undefined)
    return (
      <div class="log-line log-group" style={{ height: `${LINE_HEIGHT}px` }}>
        <span class="log-no">{props.number}</span>
        {time}
        <button type="button" class="log-toggle" aria-expanded={!props.collapsed} onClick={props.onToggle}>
          {props.collapsed ? "▸" : "▾"} {text}
        </button>
      </div>
    );
  return (
    <div class={`log-line ${line.level ? `log-${line.level}` : ""}`} style={{ height: `${LINE_HEIGHT}px` }}>
      <span class="log-no">{props.number}</span>
      {time}
      {line.level === "error" || line.level === "warning" ? (
        <span class="log-level">{line.level}</span>
      ) : null}
      <span class="log-text">{text}</span>
    </div>
  );
}

/** Props of {@link LogViewer}. */
export interface LogViewerProps {
  namespace: string;
  pod: string;
  container: string;
  /** The step has not started yet. */
  waiting: boolean;
}

/** The log of one container. */
export function LogViewer(props: LogViewerProps) {
  const { api } = useSession();
  const [doc, setDoc] = useState(() => new LogDocument());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<"loading" | "streaming" | "done" | "error">("loading");
  const [error, setError] = useState<string | undefined>();
  const [showTime, setShowTime] = useState(() => localStorage.getItem(TIMESTAMPS_KEY) === "true");
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const seenGroups = useRef(0);

  useEffect(() => {
    if (props.waiting) return;
    const d = new LogDocument();
    setDoc(d);
    seenGroups.current = 0;
    setCollapsed(new Set());
    const abort = new AbortController();
    let frame: number | undefined;
    const publish = (): void => {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        if (d.groups.length > seenGroups.current) {
          // New groups start collapsed, as in Tekton's Dashboard and GitHub's logs.
          const added = d.groups.slice(seenGroups.current).map((_, i) => seenGroups.current + i);
          seenGroups.current = d.groups.length;
          setCollapsed((c) => new Set([...c, ...added]));
        }
        setVersion((v) => v + 1);
      });
    };
    setState("streaming");
    setError(undefined);
    const path = podLogPath(props.namespace, props.pod, props.container, { follow: true, timestamps: true });
    api
      .stream(
        path,
        (text) => {
          d.append(text);
          publish();
        },
        abort.signal,
      )
      .then(() => {
        d.finish();
        publish();
        setState("done");
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setState("error");
        setError(err instanceof ApiFailure || err instanceof Error ? err.message : String(err));
      });
    return () => {
      abort.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
    // A followed log ends by itself when the step ends: `live` changing needs no new request.
  }, [api, props.namespace, props.pod, props.container, props.waiting]);

  // The document is mutated in place; `version` marks each change.
  const rows = useMemo(() => doc.rows(collapsed), [doc, collapsed, version]);

  const download = async (): Promise<void> => {
    const text = await api.text(
      podLogPath(props.namespace, props.pod, props.container, { follow: false, timestamps: false }),
    );
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${props.pod}-${props.container}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  if (props.waiting)
    return (
      <div class="log" data-testid="log">
        <p class="muted">Waiting for the step to start…</p>
      </div>
    );
  return (
    <div class="log" data-testid="log" data-state={state}>
      <div class="log-bar">
        <label>
          <input
            type="checkbox"
            checked={showTime}
            onChange={(e) => {
              setShowTime(e.currentTarget.checked);
              localStorage.setItem(TIMESTAMPS_KEY, String(e.currentTarget.checked));
            }}
          />{" "}
          Timestamps
        </label>
        {doc.groups.length > 0 ? (
          <>
            <button type="button" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
            <button type="button" onClick={() => setCollapsed(new Set(doc.groups.map((_, i) => i)))}>
              Collapse all
            </button>
          </>
        ) : null}
        <button type="button" onClick={() => void download()}>
          Download
        </button>
        <span class="muted" data-testid="log-lines">
          {doc.lineCount} lines{state === "streaming" ? " · live" : ""}
        </span>
      </div>
      {error !== undefined ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <VirtualRows
        count={rows.count}
        rowHeight={LINE_HEIGHT}
        stickToBottom
        class="log-body"
        label={`log of ${props.container}`}
        renderRow={(r) => {
          const i = rows.lineAt(r);
          const line = doc.line(i);
          return (
            <LogLineView
              key={i}
              line={line}
              number={i + 1}
              showTime={showTime}
              collapsed={line.group !== undefined && collapsed.has(line.group)}
              onToggle={() =>
                setCollapsed((c) => {
                  const next = new Set(c);
                  if (line.group === undefined) return c;
                  if (next.has(line.group)) next.delete(line.group);
                  else next.add(line.group);
                  return next;
                })
              }
            />
          );
        }}
      />
    </div>
  );
}
