/**
 * Prints step output as `tkn taskrun logs` does: each line prefixed `[<step>] ` (the container
 * name without `step-`), partial lines kept until they end; the prefix coloured on a terminal.
 *
 * @module
 */
import type { Writable } from "node:stream";

const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

/** Line-prefixing writer for one or more step containers. */
export class StepLinePrinter {
  private readonly partial = new Map<string, string>();
  private readonly colours = new Map<string, number>();

  constructor(
    private readonly out: Writable,
    private readonly opts: { colour: boolean; prefix: boolean },
  ) {}

  private prefix(container: string): string {
    if (!this.opts.prefix) return "";
    const text = `[${container.startsWith("step-") ? container.slice(5) : container}] `;
    if (!this.opts.colour) return text;
    let c = this.colours.get(container);
    if (c === undefined) {
      c = COLOURS[this.colours.size % COLOURS.length] ?? 36;
      this.colours.set(container, c);
    }
    return `\u001b[${c}m${text.trimEnd()}\u001b[0m `;
  }

  /** Writes a chunk of one container's output; complete lines are printed at once. */
  write(container: string, chunk: Buffer | string): void {
    const text = (this.partial.get(container) ?? "") + chunk.toString();
    const lines = text.split("\n");
    const rest = lines.pop() ?? "";
    if (rest === "") this.partial.delete(container);
    else this.partial.set(container, rest);
    if (lines.length === 0) return;
    const p = this.prefix(container);
    this.out.write(lines.map((l) => `${p}${l}\n`).join(""));
  }

  /** Prints the unterminated rest of one container's output. */
  flush(container: string): void {
    const rest = this.partial.get(container);
    if (rest === undefined) return;
    this.partial.delete(container);
    this.out.write(`${this.prefix(container)}${rest}\n`);
  }
}
