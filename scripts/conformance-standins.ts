/**
 * Local stand-ins for the remote sources Tekton's resolver examples reference, created at run
 * time: a git repository holding small Tasks/StepActions with the catalog's paths and interface,
 * and one HTTP server acting as Artifact Hub and as raw.githubusercontent.com for the same
 * files. `--url-map` points the catalog's GitHub URLs at them, as a mirror would be configured.
 * The Tasks do not clone anything: they record what they were asked.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";

const GIT_CLONE_TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: git-clone
  labels:
    app.kubernetes.io/version: "0.10"
spec:
  description: A stand-in with git-clone's interface; it records the request instead of cloning.
  workspaces:
    - name: output
    - name: ssh-directory
      optional: true
    - name: basic-auth
      optional: true
    - name: ssl-ca-directory
      optional: true
  params:
    - { name: url, type: string }
    - { name: revision, type: string, default: "" }
    - { name: refspec, default: "" }
    - { name: submodules, default: "true" }
    - { name: depth, default: "1" }
    - { name: sslVerify, default: "true" }
    - { name: crtFileName, default: ca-bundle.crt }
    - { name: subdirectory, default: "" }
    - { name: sparseCheckoutDirectories, default: "" }
    - { name: deleteExisting, default: "true" }
    - { name: httpProxy, default: "" }
    - { name: httpsProxy, default: "" }
    - { name: noProxy, default: "" }
    - { name: verbose, default: "true" }
    - { name: gitInitImage, default: "ghcr.io/tektoncd/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2" }
    - { name: userHome, default: /home/git }
  results:
    - name: commit
    - name: url
    - name: committer-date
  steps:
    - name: clone
      image: busybox
      env:
        - { name: PARAM_URL, value: $(params.url) }
        - { name: PARAM_REVISION, value: $(params.revision) }
        - { name: WORKSPACE_OUTPUT_PATH, value: $(workspaces.output.path) }
      script: |
        #!/bin/sh
        set -eu
        printf '%s %s\\n' "$PARAM_URL" "$PARAM_REVISION" > "$WORKSPACE_OUTPUT_PATH/stand-in-clone"
        printf '%s' 0000000000000000000000000000000000000000 > "$(results.commit.path)"
        printf '%s' "$PARAM_URL" > "$(results.url.path)"
        printf '%s' 0 > "$(results.committer-date.path)"
`;

const GIT_CLONE_STEPACTION = `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: git-clone
spec:
  params:
    - { name: output-path }
    - { name: url }
    - { name: revision, default: "" }
  results:
    - name: commit
    - name: url
  image: busybox
  env:
    - { name: PARAM_OUTPUT_PATH, value: $(params.output-path) }
    - { name: PARAM_URL, value: $(params.url) }
    - { name: PARAM_REVISION, value: $(params.revision) }
  script: |
    #!/bin/sh
    set -eu
    printf '%s %s\\n' "$PARAM_URL" "$PARAM_REVISION" > "$PARAM_OUTPUT_PATH/stand-in-clone"
    printf '%s' 0000000000000000000000000000000000000000 > "$(step.results.commit.path)"
    printf '%s' "$PARAM_URL" > "$(step.results.url.path)"
`;

/** Where the stand-in server serves the catalog's files, as raw.githubusercontent.com does. */
const RAW_PREFIX_PATH = "/raw/tektoncd/catalog/main/";

export interface StandIns {
  /** Environment for `tektite run`: ARTIFACT_HUB_API. */
  env: NodeJS.ProcessEnv;
  /** Arguments for `tektite run`: the URL map sending GitHub's catalog URLs to the stand-ins. */
  args: string[];
  close(): Promise<void>;
}

/** Creates the stand-ins under `dir`. */
export async function startStandIns(dir: string): Promise<StandIns> {
  const repo = join(dir, "catalog");
  const files: Record<string, string> = {
    "task/git-clone/0.10/git-clone.yaml": GIT_CLONE_TASK,
    "stepaction/git-clone/0.1/git-clone.yaml": GIT_CLONE_STEPACTION,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = (...args: string[]): void => {
    execFileSync("git", ["-C", repo, "-c", "user.email=c@example.com", "-c", "user.name=c", ...args], {
      stdio: "ignore",
    });
  };
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "stand-in catalog");
  // http-resolver-credentials.yaml sends git:token from its Secret; a wrong password is refused.
  const goodAuth = `Basic ${Buffer.from("git:token").toString("base64")}`;
  const hub: Server = createServer((req, res) => {
    const raw = RAW_PREFIX_PATH;
    if (req.url?.startsWith(raw)) {
      const text = files[req.url.slice(raw.length)];
      const auth = req.headers.authorization;
      res.statusCode = auth !== undefined && auth !== goodAuth ? 401 : text === undefined ? 404 : 200;
      res.setHeader("content-type", "text/plain");
      res.end(res.statusCode === 200 ? text : "");
      return;
    }
    res.setHeader("content-type", "application/json");
    const base = "/api/v1/packages/tekton-task/tekton-catalog-tasks/git-clone";
    if (req.url === base) {
      res.end(
        JSON.stringify({ version: "0.10.0", available_versions: [{ version: "0.10.0", prerelease: false }] }),
      );
    } else if (req.url === `${base}/0.10.0`) {
      res.end(JSON.stringify({ data: { manifestRaw: GIT_CLONE_TASK } }));
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
  const port = (hub.address() as AddressInfo).port;
  return {
    env: { ...process.env, ARTIFACT_HUB_API: `http://127.0.0.1:${port}` },
    args: [
      "--url-map",
      `https://github.com/tektoncd/catalog.git=file://${repo}`,
      "--url-map",
      `https://raw.githubusercontent.com/tektoncd/catalog/main/=http://127.0.0.1:${port}${RAW_PREFIX_PATH}`,
    ],
    close: () => new Promise<void>((r) => hub.close(() => r())),
  };
}
