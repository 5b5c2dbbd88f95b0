/** Step and sidecar scripts as Tekton writes them (NOTES §5.2). */
import { randomBytes } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PREAMBLE = "#!/bin/sh\nset -e\n";

/** The file content: verbatim when it starts with a shebang (after trimming), else the sh preamble. */
export function scriptContent(script: string): string {
  return script.trim().startsWith("#!") ? script : PREAMBLE + script;
}

/** `script-<i>-<5 random>` for steps, `sidecar-script-<i>-<5 random>` for sidecars. */
export function scriptFileName(kind: "step" | "sidecar", index: number): string {
  const rand = randomBytes(4).toString("hex").slice(0, 5);
  return `${kind === "step" ? "script" : "sidecar-script"}-${index}-${rand}`;
}

/** Writes an executable script into `dir` and returns its file name. */
export function writeScript(dir: string, kind: "step" | "sidecar", index: number, script: string): string {
  const name = scriptFileName(kind, index);
  const file = join(dir, name);
  writeFileSync(file, scriptContent(script));
  chmodSync(file, 0o755);
  return name;
}
