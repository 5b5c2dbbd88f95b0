/**
 * `tektite run --debug`: every TaskRun gets the onFailure breakpoint, and when a step halts the
 * user is told how to enter it — or, on a terminal, gets a shell in it right away (logs of other
 * steps are held back meanwhile and printed when the shell ends).
 */
import type { KubeObject, TaskRun } from "../api/types.js";
import { bridgeTerminal } from "./terminal.js";
import { findLocalTarget, openLocalExec } from "./local-exec.js";

/** The line Tekton's entrypoint logs when a failed step halts. */
export const HALT_MESSAGE = "debug onFailure breakpoint has taken effect";

/** A TaskRun with `spec.debug.breakpoints.onFailure: enabled` (other objects unchanged). */
export function withOnFailureBreakpoint(obj: KubeObject): KubeObject {
  if (obj.kind !== "TaskRun") return obj;
  const tr = obj as TaskRun;
  const breakpoints = { ...(tr.spec.debug?.breakpoints ?? {}), onFailure: "enabled" };
  return { ...tr, spec: { ...tr.spec, debug: { ...(tr.spec.debug ?? {}), breakpoints } } } as KubeObject;
}

export interface HaltShellOptions {
  dataDir: string;
  /** Open a shell (stdin and stdout are a terminal); else only tell. */
  interactive: boolean;
  notice: (text: string) => void;
}

/** Watches step output for halts and opens (or offers) a shell in the halted step. */
export class HaltShell {
  private open = false;
  private readonly held: Array<() => void> = [];
  private readonly queue: Array<{ namespace: string; taskRun: string; container: string }> = [];

  constructor(private readonly opts: HaltShellOptions) {}

  /** Sees a step's output chunk. */
  observe(ev: { namespace: string; taskRun: string; container: string; chunk: Buffer }): void {
    if (!ev.chunk.toString("utf8").includes(HALT_MESSAGE)) return;
    const how = `tektite debug taskrun ${ev.taskRun} --data-dir ${this.opts.dataDir}${ev.namespace !== "default" ? ` -n ${ev.namespace}` : ""}`;
    if (!this.opts.interactive) {
      this.opts.notice(
        `TaskRun ${ev.taskRun}: ${ev.container} halted on failure; enter it with \`${how}\`, then run /tekton/debug/scripts/debug-continue or debug-fail-continue`,
      );
      return;
    }
    this.queue.push(ev);
    if (!this.open) void this.drain();
  }

  /** Writes a log chunk now, or after the open shell ends. */
  write(print: () => void): void {
    if (this.open) this.held.push(print);
    else print();
  }

  private async drain(): Promise<void> {
    this.open = true;
    try {
      for (let ev = this.queue.shift(); ev !== undefined; ev = this.queue.shift()) {
        const target = findLocalTarget(this.opts.dataDir, ev.namespace, ev.taskRun, ev.container);
        if (target === undefined) continue;
        for (const print of this.held.splice(0)) print();
        this.opts.notice(
          `\nTaskRun ${ev.taskRun}: ${ev.container} halted on failure. A shell in it follows; run /tekton/debug/scripts/debug-continue (or debug-fail-continue) to go on, exit to leave it halted.`,
        );
        try {
          const streams = await openLocalExec(target, {
            argv: ["sh"],
            tty: true,
            cols: process.stdout.columns,
            rows: process.stdout.rows,
          });
          await bridgeTerminal(streams, { tty: true, stdin: true });
        } catch (err) {
          this.opts.notice(
            `cannot open a shell in ${ev.container}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
    } finally {
      this.open = false;
      for (const print of this.held.splice(0)) print();
    }
  }
}
