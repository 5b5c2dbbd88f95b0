/**
 * On the host executor's bubblewrap sandbox, `$HOME` is writable and the container's own, as a
 * container's home is in a Tekton pod: `git config --global` works, the next step starts from an
 * empty home, and the host's home is neither seen nor written.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { condition, objectsOf, runCli, tempDir, writeYaml } from "../helpers/cli.js";

const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: home
spec:
  taskSpec:
    steps:
      - name: configure
        image: alpine/git
        script: |
          #!/bin/sh
          set -e
          git config --global user.name "Tekton Tester"
          echo "name=$(git config --global user.name)"
          if [ -e "$HOME/host-secret" ]; then echo "host home visible"; fi
      - name: next
        image: alpine/git
        script: |
          #!/bin/sh
          if [ -e "$HOME/.gitconfig" ]; then echo "shared home"; else echo "fresh home"; fi
          touch "$HOME/again" && echo "writable again"
`;

void describe("sandboxed $HOME (host executor)", () => {
  void it("lets git config --global write the step's own home and keeps the host's home untouched", async (t) => {
    const dir = tempDir(t);
    const hostHome = join(dir, "host-home");
    mkdirSync(hostHome);
    writeFileSync(join(hostHome, "host-secret"), "do not read\n");
    const dataDir = join(dir, "data");
    const file = writeYaml(dir, "home.yaml", taskRun);
    const r = await runCli(
      ["run", "-f", file, "-o", "json", "--executor", "host", "--sandbox", "bwrap", "--data-dir", dataDir],
      { env: { HOME: hostHome } },
    );
    const [tr] = objectsOf(r.stdout);
    assert.equal(condition(tr!).status, "True", JSON.stringify(condition(tr!)) + r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const logs = join(dataDir, "pods", "default", "home-pod", "logs");
    assert.equal(readFileSync(join(logs, "step-configure.log"), "utf8"), "name=Tekton Tester\n");
    assert.equal(readFileSync(join(logs, "step-next.log"), "utf8"), "fresh home\nwritable again\n");
    assert.equal(existsSync(join(hostHome, ".gitconfig")), false, "the host's home was written");
  });
});
