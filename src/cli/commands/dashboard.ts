/**
 * `tektite dashboard`: prints the dashboard's URL for the server of a data directory (from
 * `serve.json`) and where its login token is kept.
 */
import { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resolveDataDir } from "../../config/paths.js";
import { readToken, tokenPath } from "../../server/index.js";
import { UserInputError } from "../errors.js";
import { serverUrl } from "./kubeconfig.js";
import { SERVE_INFO_FILE } from "./serve.js";

interface DashboardOptions {
  dataDir?: string;
  server?: string;
  printToken?: boolean;
}

function action(opts: DashboardOptions): void {
  const dataDir = resolveDataDir(opts.dataDir);
  const token = readToken(dataDir);
  if (token === undefined)
    throw new UserInputError(
      `no token in ${dataDir}: start the server with tektite serve --data-dir ${dataDir}`,
    );
  const running = existsSync(join(dataDir, SERVE_INFO_FILE));
  const url = `${serverUrl(dataDir, opts.server).replace(/\/$/, "")}/`;
  process.stdout.write(`${url}\n`);
  if (opts.printToken) process.stdout.write(`${token}\n`);
  else process.stderr.write(`log in with the token in ${tokenPath(dataDir)}\n`);
  if (!running && opts.server === undefined)
    process.stderr.write(
      `note: no tektite serve is running on ${dataDir} now (start it with tektite serve)\n`,
    );
}

/** The `dashboard` command. */
export function dashboardCommand(): Command {
  return new Command("dashboard")
    .description("print the URL of the web dashboard of tektite serve")
    .option("--data-dir <dir>", "the server's data directory")
    .option("--server <url>", "server URL (default: where the server of this data directory listens)")
    .option("--print-token", "also print the login token (on its own line)")
    .action(action);
}
