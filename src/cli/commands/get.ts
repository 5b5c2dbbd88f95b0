/**
 * `tektite get taskruns|pipelineruns|customruns|runs|tasks|pipelines [NAME…]` against the server, like `kubectl get`:
 * Tekton's printer columns (runs: NAME, SUCCEEDED, REASON, STARTTIME, COMPLETIONTIME as ages; tasks
 * and pipelines: NAME, AGE), `-o json|yaml|name`, `-l` label selector, `-A` all namespaces.
 */
import { Command, Option } from "commander";
import YAML from "yaml";
import type { KubeObject } from "../../api/types.js";
import { ApiStatusError, statusText } from "../client/errors.js";
import type { ApiClient } from "../client/http.js";
import { addConnectionOptions, withClient } from "../client/options.js";
import { collectionPath, kindByWord, qualifiedSingular, type ResourceKind } from "../client/resources.js";
import { getObject } from "../client/watch.js";
import { ExitCode } from "../exit-codes.js";
import { ageOf, renderTable, succeededOf } from "../output/tables.js";

/** Output formats of get. */
export type GetFormat = "json" | "yaml" | "name";

interface GetOptions {
  output?: GetFormat;
  selector?: string;
  allNamespaces?: boolean;
  /** False with `--no-headers`. */
  headers?: boolean;
}

/** Rows of the table for `objects` (header first unless `noHeaders`). */
export function getTable(
  k: ResourceKind,
  objects: KubeObject[],
  opts: { now: Date; withNamespace: boolean; noHeaders?: boolean },
): string {
  const isRun = k.isRun;
  const header = isRun ? ["NAME", "SUCCEEDED", "REASON", "STARTTIME", "COMPLETIONTIME"] : ["NAME", "AGE"];
  const rows = objects.map((o) => {
    const status = o["status"] as { startTime?: string; completionTime?: string } | undefined;
    const c = succeededOf(o);
    const cells = isRun
      ? [
          o.metadata.name ?? "",
          c?.status ?? "",
          c?.reason ?? "",
          ageOf(status?.startTime, opts.now),
          ageOf(status?.completionTime, opts.now),
        ]
      : [o.metadata.name ?? "", ageOf(o.metadata.creationTimestamp, opts.now)];
    return opts.withNamespace ? [o.metadata.namespace ?? "", ...cells] : cells;
  });
  const head = opts.withNamespace ? ["NAMESPACE", ...header] : header;
  return renderTable(opts.noHeaders ? rows : [head, ...rows]);
}

/** Objects as `-o json|yaml|name` prints them: one object, or a v1 List. */
export function renderGet(
  k: ResourceKind,
  objects: KubeObject[],
  format: GetFormat,
  single: boolean,
): string {
  if (format === "name")
    return objects.map((o) => `${qualifiedSingular(k)}/${o.metadata.name ?? ""}\n`).join("");
  const doc =
    single && objects.length === 1
      ? objects[0]
      : { apiVersion: "v1", items: objects, kind: "List", metadata: { resourceVersion: "" } };
  return format === "json" ? `${JSON.stringify(doc, null, 4)}\n` : YAML.stringify(doc, { lineWidth: 0 });
}

async function fetchNamed(
  client: ApiClient,
  k: ResourceKind,
  names: string[],
): Promise<{ objects: KubeObject[]; failed: boolean }> {
  const objects: KubeObject[] = [];
  let failed = false;
  for (const name of names) {
    try {
      objects.push(await getObject(client, k, client.namespace, name));
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
      process.stderr.write(`${statusText(err, client.conn.server)}\n`);
      failed = true;
    }
  }
  return { objects, failed };
}

async function action(client: ApiClient, type: string, names: string[], opts: GetOptions): Promise<void> {
  const k = kindByWord(type);
  let objects: KubeObject[];
  let failed = false;
  if (names.length > 0) {
    ({ objects, failed } = await fetchNamed(client, k, names));
  } else {
    const list = await client.request<{ items?: KubeObject[] }>(
      "GET",
      collectionPath(k, opts.allNamespaces ? undefined : client.namespace),
      {
        query: { labelSelector: opts.selector },
      },
    );
    objects = list.items ?? [];
  }
  objects = objects.map((o) => ({
    ...o,
    apiVersion: o.apiVersion || `${k.group}/${k.storageVersion}`,
    kind: o.kind || k.kind,
  }));
  if (opts.output !== undefined) {
    process.stdout.write(renderGet(k, objects, opts.output, names.length === 1));
  } else if (objects.length === 0 && names.length === 0) {
    process.stderr.write(
      opts.allNamespaces ? "No resources found\n" : `No resources found in ${client.namespace} namespace.\n`,
    );
  } else if (objects.length > 0) {
    const table = getTable(k, objects, {
      now: new Date(),
      withNamespace: opts.allNamespaces === true,
      noHeaders: opts.headers === false,
    });
    process.stdout.write(table);
  }
  if (failed) process.exitCode = ExitCode.RequestFailed;
}

/** The `get` command. */
export function getCommand(): Command {
  const cmd = new Command("get")
    .description(
      "list or show taskruns, pipelineruns, customruns, runs, tasks or pipelines on a tektite server (like kubectl get)",
    )
    .argument("<type>", "taskruns (tr), pipelineruns (pr), customruns (cr), runs, tasks or pipelines (p)")
    .argument("[names...]", "object names (default: all)")
    .addOption(new Option("-o, --output <format>", "output format").choices(["json", "yaml", "name"]))
    .option("-l, --selector <selector>", "label selector, e.g. app=x,tier!=y")
    .option("-A, --all-namespaces", "list across all namespaces")
    .option("--no-headers", "omit the table header");
  addConnectionOptions(cmd);
  return cmd.action(
    withClient((client, type: string, names: string[], opts: GetOptions) =>
      action(client, type, names, opts),
    ),
  );
}
