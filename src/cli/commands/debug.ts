/**
 * `tektite debug taskrun NAME [--step S] [-- CMD ARGS…]`: a shell (or CMD) inside the halted or
 * running step of a TaskRun — its container on podman/docker, its sandbox's namespaces, env and
 * working directory on the host executor. Without CMD it runs `sh` on a terminal when there is
 * one. Exits with the command's exit code.
 *
 * Where the TaskRun runs: with `--data-dir`, or when the default data directory holds a running
 * step of it, the run on this machine (`tektite run`) is entered directly; otherwise through the
 * server (`--server` / kubeconfig), over the Kubernetes exec protocol like `kubectl exec`.
 */
import { Command } from "commander";
import type { TaskRun } from "../../api/types.js";
import { resolveDataDir } from "../../config/paths.js";
import { ContainerNotRunningError } from "../../executors/exec.js";
import { CommandError, errorText } from "../client/errors.js";
import { openRemoteExec, type ExecStreams } from "../client/exec.js";
import { ApiClient } from "../client/http.js";
import { addConnectionOptions, resolveConnection, type ConnectionOptions } from "../client/options.js";
import { kindByWord, objectPath } from "../client/resources.js";
import { findLocalTarget, openLocalExec } from "../local-exec.js";
import { bridgeTerminal } from "../terminal.js";
import { failWith } from "../exit-codes.js";

interface DebugOptions extends ConnectionOptions {
  step?: string;
  dataDir?: string;
  stdin?: boolean;
  tty?: boolean;
}

interface Plan {
  command: string[];
  tty: boolean;
  stdin: boolean;
}

function planOf(command: string[], opts: DebugOptions): Plan {
  if (command.length === 0) {
    const tty = opts.tty ?? process.stdin.isTTY === true;
    return { command: ["sh"], tty, stdin: true };
  }
  return { command, tty: opts.tty === true, stdin: opts.stdin === true || opts.tty === true };
}

const containerOf = (step: string | undefined): string | undefined =>
  step === undefined ? undefined : step.startsWith("step-") ? step : `step-${step}`;

async function openLocal(dataDir: string, ns: string, name: string, opts: DebugOptions, plan: Plan) {
  const target = findLocalTarget(dataDir, ns, name, containerOf(opts.step));
  if (target === undefined) return undefined;
  const size = process.stdout.isTTY ? { cols: process.stdout.columns, rows: process.stdout.rows } : {};
  return openLocalExec(target, { argv: plan.command, tty: plan.tty, ...size });
}

async function openRemote(opts: DebugOptions, name: string, plan: Plan): Promise<ExecStreams> {
  const conn = resolveConnection(opts);
  const client = new ApiClient(conn);
  const tr = await client.request<TaskRun>("GET", objectPath(kindByWord("taskrun"), conn.namespace, name));
  const pod = tr.status?.podName;
  const running = (tr.status?.steps ?? []).find((s) => s.running !== undefined);
  const container =
    containerOf(opts.step) ?? running?.container ?? (running ? `step-${running.name}` : undefined);
  if (pod === undefined || pod === "" || container === undefined) {
    throw new CommandError(`TaskRun "${name}" has no running step to debug`);
  }
  return openRemoteExec(conn, { namespace: conn.namespace, pod, container, ...plan });
}

async function action(type: string, name: string, command: string[], opts: DebugOptions): Promise<void> {
  kindByWord(type, [kindByWord("taskrun")]);
  const plan = planOf(command, opts);
  const ns = opts.namespace ?? "default";
  let server = opts.server ?? "";
  try {
    let streams = await openLocal(resolveDataDir(opts.dataDir), ns, name, opts, plan);
    if (streams === undefined && opts.dataDir !== undefined) {
      throw new CommandError(`TaskRun "${name}" has no running step in ${opts.dataDir}`);
    }
    if (streams === undefined) {
      server = resolveConnection(opts).server;
      streams = await openRemote(opts, name, plan);
    }
    process.exitCode = await bridgeTerminal(streams, plan);
  } catch (err) {
    if (err instanceof ContainerNotRunningError) {
      failWith(`error: the step of TaskRun "${name}" is not running (${err.message})`);
      return;
    }
    const text = errorText(err, server);
    if (text === undefined) throw err;
    failWith(text);
  }
}

/** The `debug` command. */
export function debugCommand(): Command {
  const cmd = new Command("debug")
    .description("open a shell (or run a command) inside the halted or running step of a taskrun")
    .argument("<type>", "taskrun (tr)")
    .argument("<name>", "the TaskRun's name")
    .argument("[command...]", "command to run (after --); default: an interactive sh")
    .option("--step <name>", "the step to enter (default: the running step)")
    .option("--data-dir <dir>", "enter a run of this machine's data directory (tektite run)")
    .option("-i, --stdin", "pass stdin to the command (always for the default shell)")
    .option("-t, --tty", "run the command on a terminal");
  addConnectionOptions(cmd);
  return cmd.action((type: string, name: string, command: string[], opts: DebugOptions) =>
    action(type, name, command, opts),
  );
}
