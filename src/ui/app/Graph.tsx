/**
 * The pipeline graph in SVG: task boxes in columns, edges (dashed for result references), the
 * finally column apart, each box coloured by its children's state and linking to its child run;
 * a matrix box shows how many runs it fanned out to; a skipped box shows why.
 */
import type { KubeObject } from "../../api/types.js";
import { kindOf } from "../model/kinds.js";
import type { GraphNode, PipelineGraph } from "../model/graph.js";
import { RUN_STATE_ICON, runState, type RunState } from "../model/status.js";
import { hrefOf } from "./route.js";

const W = 190;
const H = 46;
const GAP_X = 60;
const GAP_Y = 22;
const PAD = 12;
const FINALLY_GAP = 30;

/** The state of a node: from its child runs (a matrix: the worst of them), or skipped. */
export function nodeState(node: GraphNode, runs: ReadonlyMap<string, KubeObject>): RunState | "skipped" {
  if (node.skipped) return "skipped";
  const states = node.children.map((c) => {
    const run = runs.get(c.name);
    return run ? runState(run) : "pending";
  });
  if (states.length === 0) return "pending";
  for (const s of ["failed", "running", "cancelled", "pending"] as const) if (states.includes(s)) return s;
  return "succeeded";
}

function x(node: GraphNode): number {
  return PAD + node.column * (W + GAP_X) + (node.finally ? FINALLY_GAP : 0);
}

function y(node: GraphNode): number {
  return PAD + 18 + node.row * (H + GAP_Y);
}

/** Props of {@link Graph}. */
export interface GraphProps {
  graph: PipelineGraph;
  namespace: string;
  /** Child runs by name. */
  runs: ReadonlyMap<string, KubeObject>;
}

export function Graph(props: GraphProps) {
  const { graph } = props;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const width = PAD * 2 + graph.columns * (W + GAP_X) + FINALLY_GAP;
  const height = PAD * 2 + 18 + Math.max(1, graph.rows) * (H + GAP_Y);
  const finallyNode = graph.nodes.find((n) => n.finally);
  return (
    <div class="graph" data-testid="graph">
      <svg width={width} height={height} role="img" aria-label="Pipeline graph">
        {finallyNode ? (
          <text x={x(finallyNode)} y={PAD + 8} class="muted" font-size="12" fill="currentColor">
            finally
          </text>
        ) : null}
        {graph.edges.map((e) => {
          const a = byName.get(e.from);
          const b = byName.get(e.to);
          if (!a || !b) return null;
          const x1 = x(a) + W;
          const y1 = y(a) + H / 2;
          const x2 = x(b);
          const y2 = y(b) + H / 2;
          const mid = (x1 + x2) / 2;
          return (
            <path
              key={`${e.from}-${e.to}`}
              class={`edge ${e.kind === "result" ? "result" : ""}`}
              d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
              data-edge={`${e.from}->${e.to}`}
              data-kind={e.kind}
            />
          );
        })}
        {graph.nodes.map((n) => {
          const state = nodeState(n, props.runs);
          const first = n.children[0];
          const kind = first ? kindOf(first.kind) : undefined;
          const label = n.matrix && n.children.length > 0 ? `${n.name} ×${n.children.length}` : n.name;
          const sub = n.skipped
            ? n.skipped.reason
            : first
              ? props.runs.get(first.name)
                ? state
                : "pending"
              : "not started";
          const box = (
            <g class={`node ${state}`} data-task={n.name} data-state={state}>
              <title>{n.skipped ? `${n.name}: skipped (${n.skipped.reason})` : `${n.name}: ${state}`}</title>
              <rect x={x(n)} y={y(n)} width={W} height={H} rx={7} />
              <text x={x(n) + 10} y={y(n) + 19} font-size="13" font-weight="600" fill="currentColor">
                {state === "skipped" ? "⤼" : RUN_STATE_ICON[state]}{" "}
                {label.length > 24 ? `${label.slice(0, 23)}…` : label}
              </text>
              <text x={x(n) + 10} y={y(n) + 36} font-size="11" fill="currentColor" opacity="0.75">
                {sub.length > 30 ? `${sub.slice(0, 29)}…` : sub}
              </text>
            </g>
          );
          return first && kind ? (
            <a
              key={n.name}
              href={hrefOf({
                page: "run",
                plural: kind.plural,
                namespace: props.namespace,
                name: first.name,
              })}
              aria-label={`${n.name}: ${state}`}
            >
              {box}
            </a>
          ) : (
            <g key={n.name}>{box}</g>
          );
        })}
      </svg>
    </div>
  );
}
