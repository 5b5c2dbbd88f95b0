/**
 * What the profiles showed when the suite was written (`node --cpu-prof` of `tektite run` with
 * 1, 20 and 100 steps, of `tektite --version`, and of `tektite serve` under 300 POSTed
 * TaskRuns): the analysis printed under each benchmark in docs/benchmarks.md, with the fix each
 * points at. Update it when a profile says otherwise.
 *
 * @module
 */

const FINDINGS: Record<string, string[]> = {
  "host-steps": [
    `Made since these profiles: fixes 1 and 2 below (step progress coalesced to one write per event-loop turn; no reconcile on the engine's own status writes), and the sandbox's host view is now asked once per pod (part of fix 5). Left: spawn cost, per-step file work, store copies (fixes 3 and 4).`,
    "The main thread is busy for the whole TaskRun (idle < 2 % of the profile): per step it is CPU on the event loop, not waiting. Per step (20-step minus 1-step profiles): `ChildProcess.spawn` ≈ 2.4 ms of synchronous main-thread time (a detached process with two pipes, spawned from a ~70 MB process; the bare floor spawns from a ~40 MB process with stdio ignored), file-system calls ≈ 2 ms (`mkdirSync`/`symlinkSync` in `createPodLayout` for each step's `/tekton/run/<i>` and `/tekton/steps` entries, `openSync` + `mkdirSync` of the log file in `process.ts` `openAppend`, `writeFileSync` in `attempt.ts` `finishStep`), store copies ≈ 0.7 ms (`clone` = JSON round trip in `store/objects.ts`, `MemoryBackend.read`, `deepEqual`).",
    "The store cost grows with the TaskRun: every step emits two status writes (`running`, then `terminated`; `attempt.ts` `runAttempt` → `emit()` → `reconciler.ts` `onProgress` → `writeStatus`), and each write parses the stored object, clones it in `merge`, stringifies it in `commit`, clones it once per watcher in `hub.ts` `drain`, and then the engine's own watch re-enqueues a `reconcile` that reads (parses) it again. At 100 steps `clone` alone is 207 ms of the 860 ms TaskRun.",
    "Fix 1 (`src/engine/taskrun/reconciler.ts`, `onProgress`): coalesce progress writes — keep the latest `steps[]` and write it at most once per event-loop turn (`setImmediate`) or per ~50 ms, flushing before `finishAttempt`; a step that ends within the window is then written once (terminated) instead of twice.",
    "Fix 2 (`src/engine/taskrun/reconciler.ts`, `start`): do not enqueue a reconcile for MODIFIED events caused by the engine's own status writes — remember the resourceVersion returned by `writeStatus` per key and skip an event carrying it (or skip MODIFIED events whose `metadata.generation` and `spec.status` are unchanged while an attempt is active).",
    "Fix 3 (`src/store/hub.ts`, `drain`/`publish`): clone the event object once per event, not once per watcher (deliver a deep-frozen copy), and in `src/store/kubestore.ts` `update` avoid the extra `clone` in `merge` when the caller already passes a fresh object.",
    "Fix 4 (`src/engine/taskrun/prepare.ts` / `src/executors/pod-layout.ts` `createPodLayout`, `src/executors/process.ts` `openAppend`): create the per-step directories lazily in one `mkdirSync(recursive)` per step only when the step writes there, and skip `mkdirSync(dirname(log))` when the pod's `logs/` directory was already made (one per pod).",
    "With bubblewrap, the floor itself is ≈ 7 ms per step (bwrap with a root built from ~25 `--ro-bind-try`/`--symlink` entries); tektite adds ≈ 17 ms more: the same as above plus `planSandbox` (a `readdirSync('/')` and `lstatSync` per root entry, per step), the Tekton mounts (`/workspace`, `/tekton/*`, each an extra bind), and `checkExecutable` reading the binary's head. Fix 5 (`src/executors/host.ts`, `HostPod.prepare`): cache the `planSandbox` result per pod for steps with identical mounts (they are identical for every step of a Task but for `/tekton/run/<i>`), and cache `realHostView` answers for `/` for the process lifetime.",
  ],
  "container-steps": [
    `Made since these profiles: the final status no longer waits for \`pod rm\` (cleanup is awaited afterwards). Left: skipping the pod when there are no sidecars.`,
    "Per step, tektite is close to the floor (a step is one attached `podman run --pod …` without `--rm`; the container is removed with the pod): the extra is ≈ 10–30 ms, the engine's per-step work (see host-steps) plus joining the pod, and the figure is noisy on a busy 2-core machine (per-step differences of 0.2 s process times); quick runs measured 1.07×, full runs 1.1–1.2×.",
    "The whole TaskRun misses because of per-TaskRun costs the bare loop does not have: node + module loading (≈ 0.3 s, see end-to-end), `podman pod create` (≈ 0.08 s), the pod's infra container start on the first `run --pod` (≈ 0.1 s), the image inspect (≈ 0.03 s) and `podman pod rm --force --time 0` (≈ 0.16 s) awaited before the run is reported done.",
    "Fix (`src/executors/container.ts`, `ContainerPod`): when the pod has no sidecars, skip the pod (`run --network none` per step), since steps run one at a time and share nothing but volumes; with sidecars the pod (and its infra container, which holds the shared network) stays. In both cases run `pod rm`/`rm` after the outcome is reported: the TaskRun's completion should not wait for cleanup (`src/engine/taskrun/attempt.ts` `runAttempt` awaits `pod.destroy()` in its `finally`; let the engine track that promise and await it only on shutdown).",
  ],
  "end-to-end": [
    `Made since these profiles: fix 1 (CEL is loaded only when a \`when\` uses it). Left: fixes 2 and 3.`,
    "Since commit ab118e3 (commands, SQLite and CEL load only when used) `tektite --version` is ≈ node + 20 ms. `tektite run --sandbox none` of one echo step is ≈ node + 130 ms: importing `commands/run.js` takes ≈ 100 ms (111 modules: commander ≈ 17 ms, yaml ≈ 23 ms, @marcbachmann/cel-js ≈ 20 ms, the engine and api code, plus ESM resolution/stat/read of each file), the run itself (admission, engine, pod layout, one spawn, summary) ≈ 30 ms. The default sandbox adds ≈ 30 ms: the `bwrapWorks` probe (`src/executors/sandbox.ts`, a synchronous `spawnSync(bwrap … true)` at executor construction) and the sandboxed step.",
    "Fix 1 (`src/api/validation/when.ts`): it still imports `@marcbachmann/cel-js` statically for `parse` (to validate `cel` when-expressions); import it lazily only when a WhenExpression has `cel` set (validation would then be async there, or keep a sync path that loads the parser on first use via `createRequire` of the CJS build).",
    "Fix 2 (`src/executors/sandbox.ts` `bwrapWorks`): skip the probe and detect a non-working bwrap from the first sandboxed step's failure (bwrap prints `bwrap: …` and exits 1 before exec), or cache the answer in the data directory keyed by the bwrap binary's mtime.",
    "Fix 3 (build): bundle `bin/tektite.js`'s graph into one ESM file (esbuild, keeping `better-sqlite3` external) so start-up does not resolve and read ~110 files; on Node ≥ 22.1 also call `module.enableCompileCache()` in `bin/tektite.js`.",
  ],
  throughput: [
    `Made since these profiles: fix 2 (\`tektite serve\` limits running attempts to 4 per CPU by default) and host-steps fixes 1–2 (fewer writes per step). Kept on purpose: \`synchronous = FULL\`, since the server issue promises that status transitions are written synchronously.`,
    "The server's event loop is saturated: in a profile of 300 POSTed TaskRuns, `ChildProcess.spawn` took 2.4 s of main-thread time (≈ 2.7 ms per step, synchronous fork/exec from a ~100–300 MB process) and SQLite transactions 1.9 s (`synchronous = FULL` in `src/store/sqlite.ts`: an fsync per commit; ≈ 10 commits per TaskRun: create, Events from `server/events.ts`, 2 status writes per step). POSTs wait behind that work (p50 ≈ 430 ms under load), so submission and execution overlap badly.",
    "Every submitted TaskRun starts at once (`maxParallel` defaults to unlimited in `TaskRunEngine`), so hundreds of attempts compete for one event loop.",
    "Fix 1 (`src/store/sqlite.ts`, `SqliteBackend` constructor): the module promises that every committed write survives a crash or `kill -9`; WAL with `synchronous = NORMAL` keeps exactly that promise (a process crash never loses a committed WAL transaction; only an OS crash or power loss can lose the last ones, which reconcile-on-start tolerates) without an fsync per commit. If power-loss durability is wanted, keep FULL but group commit: queue the writes of one event-loop turn and commit them in one transaction (watch delivery after the commit), and cut the number of writes (host-steps fixes 1–2, and `server/events.ts` Events could be buffered).",
    "Fix 2 (`src/engine/taskrun/reconciler.ts`): default `maxParallel` to a small multiple of the CPU count (e.g. 2 × `os.availableParallelism()`) for `tektite serve`, so a burst queues instead of thrashing the event loop; plus fixes 1–3 of host-steps (fewer status writes per step ⇒ fewer fsyncs).",
    "Fix 3 (`src/executors/process.ts`): spawn steps through a small long-lived helper process (a lean node or C spawner receiving argv/env/cwd over a pipe and returning pid/exit status) so fork cost does not scale with the server's memory and does not block the API's event loop.",
  ],
  api: [
    "A list of 10,000 TaskRuns (≈ 21 MB of JSON) costs ≈ 0.5 s of server CPU, all on the event loop: per list ≈ 190 ms in `SqliteBackend.scan` (`src/store/sqlite.ts`: a `JSON.parse` of every row), ≈ 100 ms in the response's `JSON.stringify` (`json` in `src/server/app.ts`), ≈ 120 ms of garbage collection, ≈ 40 ms of socket writes. While a big list is being built, watches and POSTs wait.",
    'Fix (`src/server/read.ts` `listObjects` + a new raw scan in `src/store/sqlite.ts`): when the request needs no conversion (stored version = served version, no Table, no field selector) splice the stored JSON texts into the response (`{"apiVersion":…,"items":[` + rows joined by `,` + `]}`) instead of parse → render → stringify; and stream large lists in chunks so the event loop is released between pages (the Kubernetes API server also serves list from its cache with `limit` pages).',
    "Event delivery to 100 watchers is fast while idle (same-process fan-out, one JSON line per watcher); it shares the single event loop with step spawning and SQLite commits, so under load (see throughput) latencies grow with the step work.",
  ],
  memory: [
    `Made since these profiles: the engine skips runs that are already done when it starts. Left: the observer map and the raw-JSON list.`,
    "Idle RSS is node plus the modules loaded at start (every command's module is imported, see end-to-end).",
    "With 10,000 stored TaskRuns RSS roughly doubles before any request: at start the engine's watch (no resourceVersion) receives a synthetic ADDED for every stored TaskRun and reconciles each (`src/engine/taskrun/reconciler.ts` `start` → `reconcile` → `store.get`), and `startRunObserver` (`src/server/events.ts`) keeps a `known` entry per run. Fix: at start, list with a label/field filter or skip objects that are done (`isDone`) in the watch callback before enqueueing; keep only not-done runs in the observer's map.",
    "After lists RSS grows to ≈ 300 MiB: the full list is materialised three times (parsed rows, rendered objects, the JSON string) and V8 keeps the grown heap. The raw-JSON list of the api fix above removes two of the three.",
  ],
};

/** The analysis lines of a benchmark (empty when there is none). */
export function analysisFor(name: string): string[] {
  return FINDINGS[name] ?? [];
}
