/** Step and sidecar scripts as Tekton writes them (docs/tekton-semantics.md#step-command). */
import { join } from "node:path";
import type { DiskEffects } from "./disk-effects.js";

const PREAMBLE = "#!/bin/sh\nset -e\n";

/** The file content: verbatim when it starts with a shebang (after trimming), else the sh preamble. */
export function scriptContent(script: string): string {
  return script.trim().startsWith("#!") ? script : PREAMBLE + script;
}

/** `script-<i>-<5 random>` for steps, `sidecar-script-<i>-<5 random>` for sidecars. */
export function scriptFileName(
  kind: "step" | "sidecar",
  index: number,
  randomHex: (chars: number) => string,
): string {
  const rand = randomHex(5);
  return `${kind === "step" ? "script" : "sidecar-script"}-${index}-${rand}`;
}

/** Records an executable script in `dir` and returns its file name. */
export function writeScript(
  fx: DiskEffects,
  dir: string,
  kind: "step" | "sidecar",
  index: number,
  script: string,
  randomHex: (chars: number) => string,
): string {
  const name = scriptFileName(kind, index, randomHex);
  fx.writeFile(join(dir, name), scriptContent(script), { chmod: 0o755 });
  return name;
}
