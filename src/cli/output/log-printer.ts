/**
 * Prints step output live, one prefixed line at a time (`[<run>/<step>] text`), keeping partial
 * lines per container until they end. Colours the prefix on a terminal.
 */
import type { Writable } from "node:stream";
import { PipelineLabel } from "../../api/reasons.js";
import type { KubeObject } from "../../api/types.js";

/** The name a run's lines are prefixed with: its pipeline task's for a PipelineRun's child. */
export function logNameOf(run: KubeObject): string {
  return run.metadata.labels?.[PipelineLabel.PipelineTask] ?? run.metadata.name ?? "";
}

const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

export class LogPrinter {
  private readonly partial = new Map<string, string>();
  private readonly colours = new Map<string, number>();

  constructor(
    private readonly out: Writable,
    private readonly colour: boolean,
  ) {}

  private prefix(run: string, container: string): string {
    const step = container.startsWith("step-") ? container.slice(5) : container;
    const text = `[${run}/${step}]`;
    if (!this.colour) return text;
    let c = this.colours.get(run);
    if (c === undefined) {
      c = COLOURS[this.colours.size % COLOURS.length] ?? 36;
      this.colours.set(run, c);
    }
    return `\u001b[${c}m${text}\u001b[0m`;
  }

  write(run: string, container: string, chunk: Buffer): void {
    const key = `${run}\u0000${container}`;
    const text = (this.partial.get(key) ?? "") + chunk.toString("utf8");
    const lines = text.split("\n");
    const rest = lines.pop() ?? "";
    if (rest === "") this.partial.delete(key);
    else this.partial.set(key, rest);
    if (lines.length === 0) return;
    const p = this.prefix(run, container);
    this.out.write(lines.map((l) => `${p} ${l}\n`).join(""));
  }

  /** Prints what is left of unterminated lines for one run (or all). */
  flush(run?: string): void {
    for (const [key, rest] of this.partial) {
      const [r, container] = key.split("\u0000") as [string, string];
      if (run !== undefined && r !== run) continue;
      this.out.write(`${this.prefix(r, container)} ${rest}\n`);
      this.partial.delete(key);
    }
  }
}
