/**
 * The physical floor of a step: `node spawn-loop.js COUNT CMD [ARGS…]` spawns CMD COUNT times
 * from a cold node process, each awaited before the next (`child_process.spawn`, stdio ignored),
 * and exits non-zero if any run fails. Timed from outside like `tektite run`, so the difference
 * between COUNT=N and COUNT=1 isolates the per-spawn cost from node's start-up.
 *
 * @module
 */

import { spawn } from "node:child_process";

function once(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", (code) => resolveRun(code));
  });
}

const [countArg, cmd, ...args] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || cmd === undefined) {
  process.stderr.write("usage: spawn-loop.js COUNT CMD [ARGS...]\n");
  process.exit(2);
}
for (let i = 0; i < count; i++) {
  const code = await once(cmd, args);
  if (code !== 0) {
    process.stderr.write(`${cmd} exited with ${String(code)}\n`);
    process.exit(1);
  }
}
