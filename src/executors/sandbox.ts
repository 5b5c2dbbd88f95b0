/**
 * A bubblewrap (`bwrap`) mount namespace that shows a container its Tekton paths at their real
 * places (`/workspace`, `/tekton/...`, volume mountPaths) without touching the host's real
 * filesystem.
 *
 * The sandbox root is bwrap's own tmpfs. Every top-level host entry is bound into it read-only
 * (symlinks are recreated with `--symlink`), except `/proc` and `/dev` (fresh ones) and `/tmp`
 * (a private tmpfs per container, as a container has its own `/tmp`). The root tmpfs itself is
 * writable and discarded with the container.
 *
 * A mount point that does not exist on the host is never created there: the host directory
 * that lacks it is replaced by a tmpfs into which its children are bound one by one, and the
 * missing directories are made inside that tmpfs ({@link planSandbox}, a pure function over a
 * {@link HostView}). A mount point nested inside another mount is created in that mount's host
 * directory, as the kubelet does inside a volume.
 */
import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { posix } from "node:path";
import type { Mount } from "./executor.js";
import { cleanPath } from "./mounts.js";

export type EntryType = "dir" | "file" | "symlink" | "other";

/** Read-only questions the planner asks about the host filesystem. */
export interface HostView {
  /** Type of the entry itself (lstat), undefined when it does not exist. */
  entryType(path: string): EntryType | undefined;
  /** Type of what the path resolves to (stat), undefined when it does not exist. */
  targetType(path: string): EntryType | undefined;
  readlink(path: string): string;
  readdir(path: string): string[];
}

function typeOf(s: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (s.isSymbolicLink()) return "symlink";
  if (s.isDirectory()) return "dir";
  return s.isFile() ? "file" : "other";
}

/** A view that asks the underlying one each question once (one pod's worth of planning). */
export function memoizedHostView(view: HostView): HostView {
  const memo = <T>(fn: (p: string) => T): ((p: string) => T) => {
    const seen = new Map<string, T>();
    return (p) => {
      if (!seen.has(p)) seen.set(p, fn(p));
      return seen.get(p) as T;
    };
  };
  return {
    entryType: memo((p) => view.entryType(p)),
    targetType: memo((p) => view.targetType(p)),
    readlink: memo((p) => view.readlink(p)),
    readdir: memo((p) => view.readdir(p)),
  };
}

/** The real host filesystem. */
export const realHostView: HostView = {
  entryType: (p) => {
    const s = lstatSync(p, { throwIfNoEntry: false });
    return s === undefined ? undefined : typeOf(s);
  },
  targetType: (p) => {
    try {
      const s = statSync(p, { throwIfNoEntry: false });
      return s === undefined ? undefined : typeOf(s);
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === "ELOOP" ||
        (err as NodeJS.ErrnoException).code === "ENOTDIR"
      )
        return undefined;
      throw err;
    }
  },
  readlink: (p) => readlinkSync(p),
  readdir: (p) => {
    try {
      return readdirSync(p).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EACCES") return [];
      throw err;
    }
  },
};

export interface SandboxSpec {
  mounts: readonly Mount[];
  /** Directories that must exist in the sandbox (the working directory). */
  dirs?: readonly string[];
  /**
   * Host directories the container must not see (the server's data directory: its token, its
   * database): each existing one is covered by an empty tmpfs. Mounts are still bound from them.
   */
  hidden?: readonly string[];
}

export interface SandboxPlan {
  /** bwrap arguments that build the filesystem, in order. */
  args: string[];
  /** Host directories to create before starting (mount points and dirs inside other mounts). */
  hostDirs: string[];
  /** Host files to create (empty, with their parents) before starting: mount points of file mounts inside other mounts. */
  hostFiles: string[];
}

type NodeKind =
  | "root"
  | "expanded" // host dir replaced by a tmpfs holding its children bound one by one
  | "passthrough" // host path bound read-only at the same path
  | "inherit" // exists inside a passthrough parent; no mount of its own
  | "mount" // a plan mount
  | "inMount" // a directory inside a plan mount (created in the mount's host directory)
  | "dir" // a directory made in a tmpfs
  | "tmpfs"
  | "proc"
  | "dev";

interface Node {
  kind: NodeKind;
  path: string;
  children: Map<string, Node>;
  mount?: Mount;
  /** Host path behind an `inMount` node. */
  hostPath?: string;
}

const MAX_SYMLINKS = 40;

function node(kind: NodeKind, path: string, extra: Partial<Node> = {}): Node {
  return { kind, path, children: new Map(), ...extra };
}

/**
 * Plans the bwrap filesystem for `spec` against the host seen through `view`. Pure apart from the
 * view's reads; the caller creates `hostDirs`/`hostFiles` and passes `args` to bwrap.
 */
export function planSandbox(spec: SandboxSpec, view: HostView): SandboxPlan {
  const root = node("root", "/");
  root.children.set("proc", node("proc", "/proc"));
  root.children.set("dev", node("dev", "/dev"));
  root.children.set("tmp", node("tmpfs", "/tmp"));
  const hostDirs: string[] = [];
  const hostFiles: string[] = [];

  const childOf = (parent: Node, name: string, path: string, last: boolean): Node | { follow: string } => {
    const existing = parent.children.get(name);
    if (existing !== undefined) return existing;
    let child: Node;
    switch (parent.kind) {
      case "root":
      case "expanded": {
        const t = view.entryType(path);
        if (t === "symlink") return { follow: path };
        child = t === "dir" || (t !== undefined && last) ? node("passthrough", path) : node("dir", path);
        break;
      }
      case "passthrough":
      case "inherit": {
        const t = view.entryType(path);
        if (t === "symlink") return { follow: path };
        if (t === "dir" || (t !== undefined && last)) {
          child = node("inherit", path);
        } else {
          // The host directory lacks this entry (or has a file where a directory is needed):
          // replace the directory by a tmpfs holding its children.
          expand(parent);
          child = node("dir", path);
        }
        break;
      }
      case "mount":
      case "inMount": {
        const base = parent.kind === "mount" ? parent.mount!.hostPath : parent.hostPath!;
        const hostPath = posix.join(base, name);
        child = node("inMount", path, { hostPath });
        break;
      }
      case "dir":
      case "tmpfs":
      case "dev":
      case "proc":
        child = node("dir", path);
        break;
    }
    parent.children.set(name, child);
    return child;
  };

  /** Walks to `target`, creating nodes; returns the node and its parent (undefined for `/`). */
  const walk = (target: string): { node: Node; parent?: Node; name: string } => {
    let path = cleanPath(target);
    for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
      const parts = path.split("/").filter((p) => p !== "");
      let cur = root;
      let parent: Node | undefined;
      let followed: string | undefined;
      for (const [i, name] of parts.entries()) {
        const sub = "/" + parts.slice(0, i + 1).join("/");
        const next = childOf(cur, name, sub, i === parts.length - 1);
        if ("follow" in next) {
          const link = view.readlink(next.follow);
          const resolved = posix.isAbsolute(link) ? link : posix.join(posix.dirname(next.follow), link);
          followed = cleanPath(posix.join(resolved, ...parts.slice(i + 1)));
          break;
        }
        parent = cur;
        cur = next;
      }
      if (followed === undefined)
        return { node: cur, ...(parent ? { parent } : {}), name: parts.at(-1) ?? "" };
      path = followed;
    }
    throw new Error(`too many levels of symbolic links resolving ${target}`);
  };

  for (const h of spec.hidden ?? []) {
    if (view.entryType(cleanPath(h)) !== "dir") continue;
    const { node: n, parent } = walk(h);
    if (parent === undefined) throw new Error("cannot hide the sandbox root /");
    n.kind = "tmpfs";
    n.children.clear();
    delete n.hostPath;
  }
  const sorted = [...spec.mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
  for (const m of sorted) {
    const { node: n, parent } = walk(m.containerPath);
    if (parent === undefined) throw new Error("cannot mount over the sandbox root /");
    if (n.kind === "inMount")
      (view.targetType(m.hostPath) === "dir" ? hostDirs : hostFiles).push(n.hostPath!);
    n.kind = "mount";
    n.mount = m;
    n.children.clear();
    delete n.hostPath;
  }
  for (const d of spec.dirs ?? []) {
    const { node: n } = walk(d);
    if (n.kind === "inMount") hostDirs.push(n.hostPath!);
  }
  const args: string[] = [];
  emit(root, args, view);
  return { args, hostDirs: dedupe(hostDirs), hostFiles: dedupe(hostFiles) };
}

/** Turns a bound host directory into a tmpfs with its children bound one by one. */
function expand(n: Node): void {
  n.kind = "expanded";
  for (const c of n.children.values()) if (c.kind === "inherit") c.kind = "passthrough";
}

function depth(p: string): number {
  return cleanPath(p)
    .split("/")
    .filter((s) => s !== "").length;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function emit(n: Node, args: string[], view: HostView): void {
  switch (n.kind) {
    case "root":
    case "expanded":
      if (n.kind === "expanded") args.push("--tmpfs", n.path);
      for (const name of view.readdir(n.path)) {
        if (n.children.has(name)) continue;
        const p = posix.join(n.path, name);
        if (view.entryType(p) === "symlink") args.push("--symlink", view.readlink(p), p);
        else args.push("--ro-bind-try", p, p);
      }
      break;
    case "passthrough":
      args.push("--ro-bind", n.path, n.path);
      break;
    case "mount":
      args.push(n.mount!.readOnly ? "--ro-bind" : "--bind", n.mount!.hostPath, n.path);
      break;
    case "dir":
      args.push("--dir", n.path);
      break;
    case "tmpfs":
      args.push("--tmpfs", n.path);
      break;
    case "proc":
      args.push("--proc", n.path);
      break;
    case "dev":
      args.push("--dev", n.path);
      break;
    case "inherit":
    case "inMount":
      break;
  }
  for (const child of n.children.values()) emit(child, args, view);
}

/** How containers are isolated: `auto` uses bwrap when it works, `none` runs plain processes. */
export const SandboxMode = { Auto: "auto", Bwrap: "bwrap", None: "none" } as const;
export type SandboxMode = (typeof SandboxMode)[keyof typeof SandboxMode];

const detected = new Map<string, boolean>();
const probing = new Map<string, Promise<boolean>>();
const PROBE_ARGS = [
  "--ro-bind",
  "/",
  "/",
  "--proc",
  "/proc",
  "--dev",
  "/dev",
  "--unshare-pid",
  "--die-with-parent",
  "true",
];
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Whether `bwrap` can build a sandbox here (it may be missing or lack user namespaces).
 * Runs it once per binary path and caches the answer (see {@link probeBwrap}).
 */
export function bwrapWorks(bwrapPath: string, env: Record<string, string>): boolean {
  const cached = detected.get(bwrapPath);
  if (cached !== undefined) return cached;
  const r = spawnSync(bwrapPath, PROBE_ARGS, { stdio: "ignore", env, timeout: PROBE_TIMEOUT_MS });
  const ok = r.error === undefined && r.status === 0;
  detected.set(bwrapPath, ok);
  return ok;
}

/**
 * {@link bwrapWorks} without blocking: the probe runs while the caller does other work, and once it
 * has answered, `bwrapWorks` returns the answer at once. Never rejects.
 */
export function probeBwrap(bwrapPath: string, env: Record<string, string>): Promise<boolean> {
  const cached = detected.get(bwrapPath);
  if (cached !== undefined) return Promise.resolve(cached);
  let pending = probing.get(bwrapPath);
  if (pending === undefined) {
    pending = new Promise<boolean>((resolve) => {
      const child = spawn(bwrapPath, PROBE_ARGS, { stdio: "ignore", env, timeout: PROBE_TIMEOUT_MS });
      child.once("error", () => resolve(false));
      child.once("exit", (code) => resolve(code === 0));
    }).then((ok) => {
      detected.set(bwrapPath, ok);
      probing.delete(bwrapPath);
      return ok;
    });
    probing.set(bwrapPath, pending);
  }
  return pending;
}

/** The full bwrap argv (after the bwrap binary) that runs `argv` in `plan`'s filesystem with cwd `cwd`. */
export function bwrapArgs(plan: SandboxPlan, cwd: string, argv: readonly string[]): string[] {
  return [...BWRAP_ISOLATION, ...plan.args, "--chdir", cwd, "--", ...argv];
}

/**
 * What every sandboxed container gets besides its filesystem: no capabilities at all (so it cannot
 * remount a read-only bind writable, even as uid 0; bwrap also sets no-new-privs), its own PID
 * namespace, a new session (no TIOCSTI into the server's terminal), and death with the server.
 */
export const BWRAP_ISOLATION: readonly string[] = [
  "--die-with-parent",
  "--unshare-pid",
  "--new-session",
  "--cap-drop",
  "ALL",
];
