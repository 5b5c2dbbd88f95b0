/**
 * The `run` arguments for one step or sidecar container, for the podman or docker CLI. Pure: the
 * plan, the pod's security defaults and the resolved argv in, an argv for the CLI out (only the
 * credentials directory is read, to mount its entries).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { SecurityContext } from "../api/types.js";
import type { ContainerPlan } from "./executor.js";
import { memoryBytes, parseQuantity } from "./quantity.js";

/** The CLI whose argument dialect to speak. */
export type EngineName = "podman" | "docker";

export interface RunArgsInput {
  engine: EngineName;
  /** Unique container name in the engine. */
  name: string;
  /** How the container joins its pod: `--pod <p>` (podman) or `--network container:<pause>`. */
  podArgs: string[];
  /** Local image reference or ID to run. */
  image: string;
  /** What runs (already resolved against the image config): argv[0] becomes the entrypoint. */
  argv: string[];
  /** Runs an init process (catatonit) as PID 1 that reaps zombies and forwards signals. */
  init: boolean;
  /** Pod-level securityContext (`podTemplate.securityContext`): defaults for the container's. */
  podSecurityContext?: Record<string, unknown>;
  /** The image's USER, for `runAsGroup` without `runAsUser`. */
  imageUser: string;
  /** Labels put on the container (for sweeping leftovers). */
  labels: Record<string, string>;
  /** `--rm`: the engine removes the container when it exits (nothing inspects it afterwards). */
  removeOnExit?: boolean;
}

/** Effective security settings: the container's, else the pod's. */
export interface EffectiveSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
}

/** Merges the container securityContext over the pod's (Kubernetes precedence). */
export function effectiveSecurity(
  sc: SecurityContext | undefined,
  pod: Record<string, unknown> | undefined,
): EffectiveSecurity {
  const num = (v: unknown): number | undefined =>
    typeof v === "number" && Number.isInteger(v) ? v : undefined;
  const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
  const out: EffectiveSecurity = {};
  const user = num(sc?.runAsUser) ?? num(pod?.["runAsUser"]);
  const group = num(sc?.runAsGroup) ?? num(pod?.["runAsGroup"]);
  const nonRoot = bool(sc?.runAsNonRoot) ?? bool(pod?.["runAsNonRoot"]);
  if (user !== undefined) out.runAsUser = user;
  if (group !== undefined) out.runAsGroup = group;
  if (nonRoot !== undefined) out.runAsNonRoot = nonRoot;
  return out;
}

/** The arguments after the CLI binary: `run … <image> <argv[1..]>`. Throws on an invalid plan. */
export function runArgs(plan: ContainerPlan, input: RunArgsInput): string[] {
  const [entry, ...rest] = input.argv;
  if (entry === undefined)
    throw new Error("no command specified: the image has no ENTRYPOINT or CMD and the step gives none");
  const a: string[] = ["run", "--name", input.name, ...input.podArgs, "--pull", "never"];
  if (input.removeOnExit === true) a.push("--rm");
  for (const [k, v] of Object.entries(input.labels)) a.push("--label", `${k}=${v}`);
  if (input.init) a.push("--init");
  if (input.engine === "podman") {
    // The engine keeps its own copy of the output, so that a later process can read what the
    // container printed while no `run` was attached (after a restart of the server).
    a.push("--log-driver", "k8s-file");
    if (plan.logMaxBytes !== undefined && plan.logMaxBytes > 0)
      a.push("--log-opt", `max-size=${plan.logMaxBytes}`);
  }
  a.push("--entrypoint", input.engine === "podman" ? JSON.stringify([entry]) : entry);
  for (const e of plan.env) a.push("--env", `${e.name}=${e.value}`);
  if (plan.workingDir !== undefined && plan.workingDir !== "") a.push("--workdir", plan.workingDir);
  for (const m of plan.mounts) {
    if (m.hostPath.includes(":") || m.containerPath.includes(":")) {
      throw new Error(
        `cannot mount "${m.hostPath}" at "${m.containerPath}": paths with ":" are not supported`,
      );
    }
    a.push("--volume", `${m.hostPath}:${m.containerPath}:${m.readOnly ? "ro" : "rw"}`);
  }
  for (const m of credentialMounts(plan, input)) a.push("--volume", `${m.hostPath}:${m.containerPath}:rw`);
  a.push(...securityArgs(plan.securityContext, input));
  a.push(...resourceArgs(plan));
  a.push(input.image, ...rest);
  return a;
}

function securityArgs(sc: SecurityContext | undefined, input: RunArgsInput): string[] {
  const a: string[] = [];
  const eff = effectiveSecurity(sc, input.podSecurityContext);
  if (eff.runAsUser !== undefined || eff.runAsGroup !== undefined) {
    const user = eff.runAsUser !== undefined ? String(eff.runAsUser) : input.imageUser.split(":")[0] || "0";
    a.push("--user", eff.runAsGroup !== undefined ? `${user}:${eff.runAsGroup}` : user);
  }
  const pod = input.podSecurityContext;
  const groups = [
    pod?.["fsGroup"],
    ...(Array.isArray(pod?.["supplementalGroups"]) ? (pod["supplementalGroups"] as unknown[]) : []),
  ];
  for (const g of groups) if (typeof g === "number") a.push("--group-add", String(g));
  if (sc?.privileged === true) a.push("--privileged");
  if (sc?.readOnlyRootFilesystem === true) {
    a.push("--read-only");
    // Kubernetes mounts no tmpfs on a read-only root; podman would by default.
    if (input.engine === "podman") a.push("--read-only-tmpfs=false");
  }
  if (sc?.allowPrivilegeEscalation === false) a.push("--security-opt", "no-new-privileges");
  for (const c of sc?.capabilities?.add ?? []) a.push("--cap-add", c);
  for (const c of sc?.capabilities?.drop ?? []) a.push("--cap-drop", c);
  return a;
}

function resourceArgs(plan: ContainerPlan): string[] {
  const a: string[] = [];
  const limits = plan.resources?.limits ?? {};
  if (limits["memory"] !== undefined) {
    const bytes = memoryBytes(limits["memory"]);
    if (bytes === undefined) throw new Error(`invalid memory limit "${limits["memory"]}"`);
    // No swap beyond the limit, as in Kubernetes.
    a.push("--memory", String(bytes), "--memory-swap", String(bytes));
  }
  if (limits["cpu"] !== undefined) {
    const cpus = parseQuantity(limits["cpu"]);
    if (cpus === undefined || cpus <= 0) throw new Error(`invalid cpu limit "${limits["cpu"]}"`);
    a.push("--cpus", String(Math.max(cpus, 0.01)));
  }
  return a;
}

/**
 * creds-init copies credentials into the step's home. The home is `/root` for root and, by the
 * usual convention, `/home/<name>` for an image whose configured user is a name (the runtime
 * reads /etc/passwd, which tektite cannot); each entry of `credsHome` is mounted there. A numeric
 * non-root user keeps them at `/tekton/creds` only.
 */
function credentialMounts(
  plan: ContainerPlan,
  input: RunArgsInput,
): Array<{ hostPath: string; containerPath: string }> {
  if (plan.credsHome === undefined) return [];
  const eff = effectiveSecurity(plan.securityContext, input.podSecurityContext);
  const imageUser = input.imageUser.split(":")[0] ?? "";
  const imageRoot = imageUser === "" || imageUser === "0" || imageUser === "root";
  let home: string | undefined;
  if (eff.runAsUser === 0 || (eff.runAsUser === undefined && imageRoot)) home = "/root";
  else if (!imageRoot && !/^\d+$/.test(imageUser)) home = `/home/${imageUser}`;
  if (home === undefined) return [];
  const base = home;
  return readdirSync(plan.credsHome).map((entry) => ({
    hostPath: join(plan.credsHome!, entry),
    containerPath: `${base}/${entry}`,
  }));
}
