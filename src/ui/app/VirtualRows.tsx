/**
 * A scrolling container that renders only the rows on screen (fixed row height), so a list of
 * 10,000 runs or a log of a million lines stays responsive.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { visibleRows } from "../model/window.js";

/** Props of {@link VirtualRows}. */
export interface VirtualRowsProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ComponentChildren;
  class?: string;
  /** Keep the view at the bottom while it is there and rows are added (logs). */
  stickToBottom?: boolean;
  label?: string;
  testId?: string;
}

/** Renders rows `[start, end)` of `count` inside a full-height spacer. */
export function VirtualRows(props: VirtualRowsProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const atBottom = useRef(true);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = box.current;
    if (el === null || !props.stickToBottom || !atBottom.current) return;
    el.scrollTop = el.scrollHeight;
  }, [props.count, props.stickToBottom]);

  const onScroll = (): void => {
    const el = box.current;
    if (el === null) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - props.rowHeight;
    setScrollTop(el.scrollTop);
  };

  const { start, end } = visibleRows(scrollTop, height, props.rowHeight, props.count);
  const rows: ComponentChildren[] = [];
  for (let i = start; i < end; i++) rows.push(props.renderRow(i));
  return (
    <div
      ref={box}
      class={`virtual ${props.class ?? ""}`}
      onScroll={onScroll}
      role="region"
      aria-label={props.label}
      tabIndex={0}
      data-testid={props.testId}
    >
      <div style={{ height: `${props.count * props.rowHeight}px`, position: "relative" }}>
        <div style={{ position: "absolute", top: `${start * props.rowHeight}px`, left: 0, right: 0 }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
