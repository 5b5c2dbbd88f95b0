/**
 * Why a container never ran, told the way a Tekton pod tells it.
 *
 * In a Tekton pod the step's process is Tekton's entrypoint, which then executes the step's
 * command: a command that is missing or not executable is the entrypoint's failure
 * (`Error executing command: exec: "x": executable file not found in $PATH` in the step's log,
 * exit code 1). A container engine without that entrypoint reports the same failure from the
 * runtime (`runc create failed: … exec: "x": executable file not found in $PATH`), so it is
 * reworded as the entrypoint words Go's `exec` errors.
 *
 * Anything else the runtime refuses (a memory limit below what the process needs, a cgroup or
 * mount error) stops the container before the entrypoint runs: Kubernetes then reports the
 * container terminated with reason `StartError`, exit code 128 and the runtime's message.
 *
 * @module
 */
import { EndReason } from "./executor.js";

/** Kubernetes' exit code for a container the runtime could not start. */
export const START_ERROR_EXIT_CODE = 128;

/** The entrypoint's prefix for a command it could not execute. */
export const EXEC_ERROR_PREFIX = "Error executing command: ";

export interface StartFailure {
  ended: typeof EndReason.StartFailed | typeof EndReason.StartError;
  exitCode: number;
  message: string;
}

/** runc's `exec: "<path>": <why>` (podman, docker/containerd), up to the engine's own suffix. */
const RUNTIME_EXEC = /exec: "((?:[^"\\]|\\.)*)": (.*?)(?:: (?:OCI [^:]*|unknown)\.?)?$/;

/** Classifies the message of a container the engine could not start (see the module rules). */
export function classifyStartFailure(runtimeMessage: string): StartFailure {
  const exec = RUNTIME_EXEC.exec(runtimeMessage.trim());
  if (exec !== null) {
    const command = exec[1]!;
    const why = exec[2]!;
    const goError = /executable file not found/.test(why)
      ? `exec: "${command}": executable file not found in $PATH`
      : /no such file or directory/.test(why)
        ? `fork/exec ${command}: no such file or directory`
        : /permission denied/.test(why)
          ? `fork/exec ${command}: permission denied`
          : /exec format error/.test(why)
            ? `fork/exec ${command}: exec format error`
            : undefined;
    if (goError !== undefined) {
      return { ended: EndReason.StartFailed, exitCode: 1, message: `${EXEC_ERROR_PREFIX}${goError}` };
    }
  }
  return { ended: EndReason.StartError, exitCode: START_ERROR_EXIT_CODE, message: runtimeMessage.trim() };
}
