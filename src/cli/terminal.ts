/**
 * Connects the user's terminal (or plain stdin/stdout) to an exec session: raw mode and window
 * size with a TTY (Ctrl-C then reaches the command as a byte), stdin forwarded when asked, and
 * the command's exit code returned. Restores the terminal whatever happens.
 */
import type { ExecStreams } from "./client/exec.js";

export interface TerminalOptions {
  tty: boolean;
  stdin: boolean;
}

/** Runs `streams` against this process's stdio; resolves with the command's exit code. */
export async function bridgeTerminal(streams: ExecStreams, opts: TerminalOptions): Promise<number> {
  const input = process.stdin;
  const output = process.stdout;
  streams.onStdout((c) => output.write(c));
  streams.onStderr((c) => process.stderr.write(c));
  const raw = opts.tty && input.isTTY;
  const onResize = (): void => streams.resize(output.columns, output.rows);
  if (opts.tty && output.isTTY) {
    onResize();
    output.on("resize", onResize);
  }
  const onData = (d: Buffer): void => streams.writeStdin(d);
  const onEnd = (): void => streams.endStdin();
  if (opts.stdin) {
    if (raw) input.setRawMode(true);
    input.on("data", onData);
    input.once("end", onEnd);
    input.resume();
  } else streams.endStdin();
  try {
    return await streams.done;
  } finally {
    output.off("resize", onResize);
    input.off("data", onData);
    input.off("end", onEnd);
    if (raw) input.setRawMode(false);
    input.pause();
  }
}
