/**
 * Tekton's entrypoint breakpoints (`spec.debug.breakpoints`) inside a step container.
 *
 * Tekton's entrypoint binary waits in the step's own container; tektite has no entrypoint in the
 * image, so a step with a breakpoint runs under a small shell wrapper (run by the host's static
 * busybox, mounted into the container) that does the same:
 *
 * - before step: logs Tekton's message and waits for `<run>/out.beforestepexit` (run the step)
 *   or `<run>/out.beforestepexit.err` (do not run it, exit 1);
 * - on failure: when the command exits non-zero, logs Tekton's message and waits for
 *   `<run>/out.breakpointexit`, then exits with the code written there (0 when unreadable, as
 *   Tekton). The container, its processes, mounts, env and working directory stay up meanwhile.
 *
 * Files are polled once a second, as Tekton's waiter does.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Mount, StepBreakpoints } from "./executor.js";

/** Where the wrapper and busybox appear inside a container. */
export const BreakpointPath = {
  Busybox: "/tekton/bin/busybox",
  Wrapper: "/tekton/bin/entrypoint",
} as const;

const WRAPPER = `# tektite: Tekton's entrypoint breakpoints around a step's command.
# usage: busybox sh entrypoint BUSYBOX RUN_DIR SCRIPTS_DIR ON_FAILURE BEFORE_STEP -- COMMAND...
bb="$1"; run="$2"; scripts="$3"; on_failure="$4"; before_step="$5"
shift 6
say() { printf '%s %s\\n' "$("$bb" date '+%Y/%m/%d %H:%M:%S')" "$*" >&2; }
if [ "$before_step" = 1 ]; then
  say "debug before step breakpoint has taken effect, waiting for user's decision:
1) continue, use cmd: $scripts/debug-beforestep-continue
2) fail-continue, use cmd: $scripts/debug-beforestep-fail-continue"
  while [ ! -e "$run/out.beforestepexit" ]; do
    if [ -e "$run/out.beforestepexit.err" ]; then
      say "error occurred while waiting for $run/out.beforestepexit : before step breakpoint error file, user decided to skip the current step execution"
      say "Skipping execute step script because before step breakpoint fail-continue"
      exit 1
    fi
    "$bb" sleep 1
  done
fi
"$@"
code=$?
if [ "$code" -ne 0 ] && [ "$on_failure" = 1 ]; then
  say "debug onFailure breakpoint has taken effect, waiting for user's decision:
1) continue, use cmd: $scripts/debug-continue
2) fail-continue, use cmd: $scripts/debug-fail-continue"
  while [ ! -e "$run/out.breakpointexit" ] && [ ! -e "$run/out.breakpointexit.err" ]; do "$bb" sleep 1; done
  if [ -e "$run/out.breakpointexit" ]; then
    code="$("$bb" cat "$run/out.breakpointexit")"
  else
    code=1
  fi
  say "Breakpoint exiting with exit code $code"
  case "$code" in
    ''|*[!0-9]*) exit 0 ;;
  esac
  exit "$code"
fi
exit "$code"
`;

/** Writes the wrapper into the attempt directory and returns its host path. */
export function writeBreakpointWrapper(podDir: string): string {
  const dir = join(podDir, "bin");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "entrypoint");
  writeFileSync(file, WRAPPER);
  chmodSync(file, 0o755);
  return file;
}

/** Read-only mounts of busybox and the wrapper at {@link BreakpointPath}. */
export function breakpointMounts(busyboxHost: string, wrapperHost: string): Mount[] {
  return [
    { hostPath: busyboxHost, containerPath: BreakpointPath.Busybox, readOnly: true },
    { hostPath: wrapperHost, containerPath: BreakpointPath.Wrapper, readOnly: true },
  ];
}

/** `argv` run under the wrapper; `paths` are busybox and the wrapper as the container sees them. */
export function wrapForBreakpoints(
  argv: readonly string[],
  bp: StepBreakpoints,
  paths: { busybox: string; wrapper: string },
): string[] {
  return [
    paths.busybox,
    "sh",
    paths.wrapper,
    paths.busybox,
    bp.runDir,
    bp.scriptsDir,
    bp.onFailure ? "1" : "0",
    bp.beforeStep ? "1" : "0",
    "--",
    ...argv,
  ];
}

/** Whether a step needs the wrapper at all. */
export function needsWrapper(bp: StepBreakpoints | undefined): bp is StepBreakpoints {
  return bp !== undefined && (bp.onFailure || bp.beforeStep);
}
