#!/usr/bin/env node
// The bundled CLI (dist/bundle/cli/, made by `npm run build`) starts faster than the tsc output it is
// made from; it is skipped when tsc has rebuilt dist since (a checkout's dist/.tsbuildinfo is newer).
import { statSync } from "node:fs";

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime("../dist/bundle/cli/tektite.js");
const compiled = mtime("../dist/.tsbuildinfo");
const useBundle = bundled !== undefined && (compiled === undefined || bundled >= compiled);
await import(useBundle ? "../dist/bundle/cli/tektite.js" : "../dist/src/cli/main.js");
