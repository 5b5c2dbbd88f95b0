/**
 * `tektite serve`: the engine over a SQLite store in the data directory, with the
 * Kubernetes-compatible HTTP API in front of it, until SIGINT/SIGTERM. Writes
 * `<dataDir>/serve.json` (the URL) so `tektite kubeconfig` can find the server.
 */
import { Command, InvalidArgumentError } from "commander";
import { rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../engine/clock.js";
import { Engine } from "../../engine/engine.js";
import { ensureDataDir, resolveDataDir } from "../../config/paths.js";
import { isRetentionActive, type RetentionPolicy } from "../../api/retention.js";
import { retentionFromFlags } from "../retention-flags.js";
import {
  DEFAULT_ADDRESS,
  DEFAULT_PORT,
  ServerMetrics,
  startPruner,
  startServer,
  tokenPath,
} from "../../server/index.js";
import { openSqliteStore } from "../../store/index.js";
import { addLimitOptions, runLimits, type LimitOptions } from "../limit-options.js";
import { addExecutorOptions, createExecutor, type ExecutorOptions } from "../executor-choice.js";
import { addConfigOptions, resolveConfig, type ConfigOptions } from "../input.js";
import { loadCustomTasks } from "../custom-tasks.js";
import { nonNegativeInt, positiveInt } from "../int-options.js";

/** File in the data directory recording where the server listens. */
export const SERVE_INFO_FILE = "serve.json";

interface ServeOptions extends ConfigOptions, ExecutorOptions, LimitOptions {
  dataDir?: string;
  address: string;
  port: number;
  maxParallel?: number;
  plugin: string[];
  allowLocalGit?: boolean;
  keep?: number;
  keepSince?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("expected a port number (0-65535)");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--keep`/`--keep-since` replace the config file's `retention:` when either is given. */
function retentionOf(opts: ServeOptions, fromFile: RetentionPolicy): RetentionPolicy {
  if (opts.keep === undefined && opts.keepSince === undefined) return fromFile;
  return retentionFromFlags(opts);
}

async function action(opts: ServeOptions): Promise<void> {
  const config = resolveConfig(opts);
  const retention = retentionOf(opts, config.retention);
  const dataDir = resolveDataDir(opts.dataDir);
  ensureDataDir(dataDir);
  const customTasks = await loadCustomTasks([...config.plugins, ...opts.plugin]);
  const executor = await createExecutor(opts, { PATH: process.env["PATH"], HOME: process.env["HOME"] }, [
    dataDir,
  ]);
  const store = openSqliteStore(dataDir);
  const metrics = new ServerMetrics(store);
  const engine = new Engine({
    store,
    executor,
    clock: systemClock,
    features: config.features,
    defaults: config.defaults,
    resolvers: {
      ...config.resolvers,
      // Runs created through the API are not the host owner's: no local repositories unless allowed.
      allowLocalGit: opts.allowLocalGit === true || config.resolvers.allowLocalGit === true,
    },
    dataDir,
    limits: runLimits(opts),
    customTasks,
    // Every accepted run is admitted at once, but only so many attempts spawn steps together.
    maxParallel: opts.maxParallel ?? 4 * availableParallelism(),
    onError: (key, err) =>
      process.stderr.write(`reconcile ${key}: ${err instanceof Error ? err.message : String(err)}\n`),
    onReconcile: (kind, seconds, result) => metrics.observeReconcile(kind, seconds, result),
  });
  const server = await startServer({
    store,
    dataDir,
    features: config.features,
    defaults: config.defaults,
    address: opts.address,
    port: opts.port,
    metrics,
  });
  engine.start();
  const stopPruner = isRetentionActive(retention)
    ? startPruner({
        store,
        policy: retention,
        now: () => systemClock.now(),
        onError: (err) =>
          process.stderr.write(`pruning: ${err instanceof Error ? err.message : String(err)}\n`),
      })
    : () => undefined;
  const infoPath = join(dataDir, SERVE_INFO_FILE);
  writeFileSync(infoPath, `${JSON.stringify({ url: server.url, pid: process.pid })}\n`, { mode: 0o600 });
  process.stdout.write(`tektite API listening on ${server.url} (data: ${dataDir})\n`);
  process.stdout.write(`dashboard: ${server.url}/ (log in with the token in ${tokenPath(dataDir)})\n`);
  process.stdout.write(
    `use it with kubectl:  tektite kubeconfig --data-dir ${dataDir} > tektite.kubeconfig && KUBECONFIG=tektite.kubeconfig kubectl get taskruns\n`,
  );

  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      resolveStop();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stderr.write("shutting down\n");
  stopPruner();
  await server.close();
  // Runs still going are left as they are: the next start settles them (docs/tekton-semantics.md#timeouts-cancel-retries).
  await engine.stop({ cancelRunning: false });
  store.close();
  rmSync(infoPath, { force: true });
}

/** The `serve` command. */
export function serveCommand(): Command {
  const cmd = new Command("serve")
    .description("run the engine with a Kubernetes-compatible API (for kubectl, tkn, the Dashboard)")
    .option("--data-dir <dir>", "where the database, token, logs and claims are kept")
    .option("--address <addr>", "listen address", DEFAULT_ADDRESS)
    .option("--port <n>", `listen port (0: any free port)`, port, DEFAULT_PORT)
    .option("--max-parallel <n>", "run at most this many attempts at once (default: 4 per CPU)", positiveInt)
    .option("--plugin <file>", "load custom-task controllers from a JS module (repeatable)", collect, [])
    .option(
      "--allow-local-git",
      "let the git resolver read this host's local paths and file:// URLs (refused by default in serve)",
    )
    .option(
      "--keep <n>",
      "prune finished TaskRuns and PipelineRuns beyond the n most recent per namespace",
      nonNegativeInt,
    )
    .option(
      "--keep-since <duration>",
      "prune finished TaskRuns and PipelineRuns completed longer ago (minutes, or a duration such as 24h)",
    );
  addConfigOptions(cmd);
  addExecutorOptions(cmd);
  addLimitOptions(cmd);
  return cmd.action(action);
}
