/** What another local user could read of `tektite serve`'s files, and how Secrets are stored. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanup, serve, type Served } from "../helpers/serve.js";

const SECRET_AND_RUN = `apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: s3cret-value
data:
  user: YWRtaW4=
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: uses-secret
spec:
  taskSpec:
    steps:
      - name: show
        image: busybox
        env:
          - name: PASSWORD
            valueFrom:
              secretKeyRef:
                name: creds
                key: password
        script: echo "length \${#PASSWORD}"
`;

void describe("local files and Secrets", () => {
  let s: Served;
  let parent: string;
  before(async () => {
    parent = mkdtempSync(join(tmpdir(), "tektite-files-"));
    s = await serve({ dataDir: join(parent, "data", "dir") });
  });
  after(async () => {
    await cleanup(s);
    rmSync(parent, { recursive: true, force: true });
  });

  void it("stores Secret stringData as base64 data, as the API server does, and steps still see the value", async () => {
    const created = await s.kubectl(["create", "-f", "-"], SECRET_AND_RUN);
    assert.equal(created.code, 0, created.stderr);
    const secret = JSON.parse((await s.kubectl(["get", "secret", "creds", "-o", "json"])).stdout) as {
      data: Record<string, string>;
      stringData?: unknown;
    };
    assert.equal(secret.stringData, undefined);
    assert.deepEqual(secret.data, {
      user: "YWRtaW4=",
      password: Buffer.from("s3cret-value").toString("base64"),
    });
    assert.equal(await s.finished("uses-secret"), "Succeeded");
    assert.equal((await s.kubectl(["logs", "uses-secret-pod", "-c", "step-show"])).stdout, "length 12\n");
  });

  void it("keeps the data directory owner-only: 0700, and the database, its WAL and the logs 0600", () => {
    const mode = (p: string): number => statSync(p).mode & 0o777;
    assert.equal(mode(s.dataDir), 0o700);
    for (const f of ["tektite.db", "tektite.db-wal", "token"])
      assert.equal(mode(join(s.dataDir, f)), 0o600, f);
    const log = join(s.dataDir, "pods", "default", "uses-secret-pod", "logs", "step-show.log");
    assert.equal(mode(log), 0o600);
  });
});
