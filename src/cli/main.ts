/** The `tektite` command line: registers each command module and turns failures into clean exits. */
import { Command, CommanderError } from "commander";
import { exitCodeOfError } from "./exit-codes.js";

const program = new Command();
program
  .name("tektite")
  .description("Run Tekton Tasks, TaskRuns and CustomRuns without a Kubernetes cluster")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

// Command modules, loaded only when their command is used (start-up time is part of every run).
const commands: Record<string, () => Promise<Command[]>> = {
  validate: async () => [(await import("./commands/validate.js")).validateCommand()],
  run: async () => [(await import("./commands/run.js")).runCommand()],
  start: async () => [(await import("./commands/start.js")).startCommand()],
  approve: async () => [(await import("./commands/approve.js")).approveCommand()],
  reject: async () => [(await import("./commands/approve.js")).rejectCommand()],
  serve: async () => [(await import("./commands/serve.js")).serveCommand()],
  kubeconfig: async () => [(await import("./commands/kubeconfig.js")).kubeconfigCommand()],
  dashboard: async () => [(await import("./commands/dashboard.js")).dashboardCommand()],
  get: async () => [(await import("./commands/get.js")).getCommand()],
  describe: async () => [(await import("./commands/describe.js")).describeCommand()],
  logs: async () => [(await import("./commands/logs.js")).logsCommand()],
  cancel: async () => [(await import("./commands/cancel.js")).cancelCommand()],
  delete: async () => [(await import("./commands/delete.js")).deleteCommand()],
  bundle: async () => [(await import("./commands/bundle.js")).bundleCommand()],
  debug: async () => [(await import("./commands/debug.js")).debugCommand()],
  rerun: async () => [(await import("./commands/rerun.js")).rerunCommand()],
};
const requested = process.argv[2];
const versionOnly = requested === "--version" || requested === "-V";
const wanted = versionOnly
  ? []
  : requested !== undefined && requested in commands
    ? [requested]
    : Object.keys(commands);
/** Registers the wanted commands and runs the one named on the command line. */
async function main(): Promise<void> {
  for (const name of wanted) for (const cmd of await commands[name]!()) program.addCommand(cmd);
  overrideExits(program);
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    // Commander has printed its own message; everything else is printed here, without a stack.
    if (!(err instanceof CommanderError)) {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      if (process.env["TEKTITE_DEBUG"]) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    }
    process.exitCode = exitCodeOfError(err);
  }
}

// Commander applies exitOverride only to the command it is called on: give it to every command, so
// that a usage error reaches the error mapping in main() instead of exiting 1 on its own.
const overrideExits = (cmd: Command): void => {
  cmd.exitOverride();
  cmd.commands.forEach(overrideExits);
};
// No top-level await: the bundle is a CommonJS script (see scripts/bundle.ts).
void main();
