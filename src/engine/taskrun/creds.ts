/**
 * Tekton's creds-init (docs/auth.md): the Secrets of the TaskRun's ServiceAccount annotated
 * `tekton.dev/git-*` or `tekton.dev/docker-*` become `~/.ssh/…`, `~/.gitconfig`,
 * `~/.git-credentials` and `~/.docker/config.json` for every step. Files are written under the
 * attempt's `/tekton/creds` directory; executors show that tree as the step's home.
 */
import { dirname, join } from "node:path";
import type { Secret, ServiceAccount } from "../../api/types.js";
import type { DiskEffects, FileOwner } from "./disk-effects.js";
import { secretData } from "./env.js";

const GIT = /^tekton\.dev\/git-\d+$/;
const DOCKER = /^tekton\.dev\/docker-\d+$/;

/** Files relative to the home directory, with their contents. */
export type CredentialFiles = Map<string, string>;

function annotated(secret: Secret, pattern: RegExp): string[] {
  return Object.entries(secret.metadata.annotations ?? {})
    .filter(([k]) => pattern.test(k))
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([, v]) => v);
}

function hostOf(url: string): { host: string; port?: string } {
  const bare = url.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
  const m = /^(.*?)(?::(\d+))?$/.exec(bare);
  return m?.[2] ? { host: m[1] ?? bare, port: m[2] } : { host: bare };
}

/** Builds the credential files for a ServiceAccount's annotated Secrets. */
export function credentialFiles(
  sa: ServiceAccount | undefined,
  secret: (name: string) => Secret | undefined,
): CredentialFiles {
  const files: CredentialFiles = new Map();
  const sshConfig: string[] = [];
  const knownHosts: string[] = [];
  const gitCreds: string[] = [];
  const gitConfig: string[] = [];
  const dockerAuths: Record<string, unknown> = {};
  for (const ref of sa?.secrets ?? []) {
    const s = secret(ref.name);
    if (s === undefined) continue;
    const data = secretData(s);
    const type = s.type ?? "Opaque";
    for (const url of annotated(s, GIT)) {
      if (type === "kubernetes.io/ssh-auth" && data["ssh-privatekey"] !== undefined) {
        const { host, port } = hostOf(url);
        const key = `.ssh/id_${s.metadata.name ?? ref.name}`;
        files.set(key, data["ssh-privatekey"]);
        sshConfig.push(
          `Host ${host}\n    HostName ${host}\n    IdentityFile ~/${key}\n${port ? `    Port ${port}\n` : ""}`,
        );
        if (data["known_hosts"] !== undefined) knownHosts.push(data["known_hosts"]);
      } else if (type === "kubernetes.io/basic-auth") {
        const user = data["username"] ?? "";
        const full = /^[a-z]+:\/\//.test(url) ? url : `https://${url}`;
        const u = new URL(full);
        gitCreds.push(
          `${u.protocol}//${encodeURIComponent(user)}:${encodeURIComponent(data["password"] ?? "")}@${u.host}${u.pathname === "/" ? "" : u.pathname}`,
        );
        gitConfig.push(`[credential "${full}"]\n\tusername = ${user}\n`);
      }
    }
    for (const url of annotated(s, DOCKER)) {
      if (type === "kubernetes.io/basic-auth") {
        const user = data["username"] ?? "";
        const pass = data["password"] ?? "";
        dockerAuths[url] = {
          username: user,
          password: pass,
          auth: Buffer.from(`${user}:${pass}`).toString("base64"),
        };
      }
    }
    if (type === "kubernetes.io/dockerconfigjson" && data[".dockerconfigjson"] !== undefined) {
      const parsed = JSON.parse(data[".dockerconfigjson"]) as { auths?: Record<string, unknown> };
      Object.assign(dockerAuths, parsed.auths ?? {});
    }
    if (type === "kubernetes.io/dockercfg" && data[".dockercfg"] !== undefined) {
      Object.assign(dockerAuths, JSON.parse(data[".dockercfg"]) as Record<string, unknown>);
    }
  }
  if (sshConfig.length > 0) files.set(".ssh/config", sshConfig.join(""));
  if (knownHosts.length > 0) files.set(".ssh/known_hosts", knownHosts.join("\n"));
  if (gitCreds.length > 0) {
    // Host-wide credentials first so that git falls back to them (docs/auth.md).
    files.set(".git-credentials", gitCreds.sort((a, b) => a.length - b.length).join("\n") + "\n");
    files.set(".gitconfig", `[credential]\n\thelper = store\n${gitConfig.join("")}`);
  }
  if (Object.keys(dockerAuths).length > 0)
    files.set(".docker/config.json", JSON.stringify({ auths: dockerAuths }));
  return files;
}

/**
 * Records the files under `dir` with creds-init's modes (directories 0700, files 0600), owned by
 * `owner` when the step runs as another user.
 */
export function writeCredentialFiles(
  fx: DiskEffects,
  dir: string,
  files: CredentialFiles,
  owner?: FileOwner,
): void {
  const ownerPart = owner !== undefined ? { owner } : {};
  fx.mkdir(dir, { mode: 0o700, ...ownerPart });
  for (const [rel, content] of files) {
    const file = join(dir, rel);
    for (let d = dirname(file); d.startsWith(dir) && d !== dir; d = dirname(d)) {
      fx.mkdir(d, { mode: 0o700, ...ownerPart });
    }
    fx.writeFile(file, content, { mode: 0o600, chmod: 0o600, ...ownerPart });
  }
}
