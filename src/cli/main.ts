/** The `tektite` command line: registers each command module and turns failures into clean exits. */
import { Command, CommanderError } from "commander";
import { UserInputError } from "./errors.js";

const program = new Command();
program
  .name("tektite")
  .description("Run Tekton Tasks, TaskRuns and CustomRuns without a Kubernetes cluster")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

// Command modules register themselves here, one line each.
program.addCommand((await import("./commands/validate.js")).validateCommand());
program.addCommand((await import("./commands/run.js")).runCommand());
program.addCommand((await import("./commands/approve.js")).approveCommand());
program.addCommand((await import("./commands/approve.js")).rejectCommand());
program.addCommand((await import("./commands/start.js")).startCommand());
program.addCommand((await import("./commands/serve.js")).serveCommand());
program.addCommand((await import("./commands/kubeconfig.js")).kubeconfigCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UserInputError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env["TEKTITE_DEBUG"]) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    process.exitCode = 1;
  }
}
