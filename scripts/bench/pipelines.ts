/**
 * Benchmark 7, pipeline scheduling: a 50-task fan-out/fan-in PipelineRun (one root, 50 parallel
 * tasks, one sink) and a 20-task chain, each task one host step `true` (`--sandbox none`), run by
 * the engine in process over the memory store. Every TaskRun's life (created → done) is timed
 * from the store's watch; the critical path is the longest chain of TaskRun lives through the
 * graph. Scheduling overhead = PipelineRun wall time (created → done) − critical path: the time
 * the PipelineRun reconciler adds between a task ending and the next one starting, and at both
 * ends. Reported per task and as wall / critical path.
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { isDone } from "../../src/api/conditions.js";
import type { PipelineRun, PipelineTask } from "../../src/api/pipeline-types.js";
import type { KubeObject } from "../../src/api/types.js";
import { defaultConfigDefaults, defaultFeatureFlags } from "../../src/config/features.js";
import { systemClock } from "../../src/engine/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { HostExecutor } from "../../src/executors/host.js";
import { ResourceTypes, openMemoryStore } from "../../src/store/index.js";
import { fmtRatio, fmtSummary, round, rounded, summarize } from "./stats.js";
import type { BenchContext, BenchRow, Benchmark } from "./types.js";

const TARGET_MS = 5;

const task = (name: string, runAfter: string[]): PipelineTask => ({
  name,
  ...(runAfter.length > 0 ? { runAfter } : {}),
  taskSpec: { steps: [{ name: "t", image: "busybox", command: ["true"] }] },
});

function fanOut(width: number): PipelineTask[] {
  const middle = Array.from({ length: width }, (_, i) => task(`t${i}`, ["root"]));
  return [
    task("root", []),
    ...middle,
    task(
      "sink",
      middle.map((t) => t.name),
    ),
  ];
}

function chain(length: number): PipelineTask[] {
  return Array.from({ length }, (_, i) => task(`c${i}`, i === 0 ? [] : [`c${i - 1}`]));
}

interface Measured {
  wallMs: number;
  criticalMs: number;
  criticalTasks: number;
}

/** The longest path through the graph, weighting each task by its TaskRun's life. */
function criticalPath(
  tasks: readonly PipelineTask[],
  life: ReadonlyMap<string, number>,
): { ms: number; tasks: number } {
  const best = new Map<string, { ms: number; tasks: number }>();
  for (const t of tasks) {
    const before = (t.runAfter ?? []).map((p) => best.get(p) ?? { ms: 0, tasks: 0 });
    const longest = before.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, tasks: 0 });
    best.set(t.name, { ms: longest.ms + (life.get(t.name) ?? 0), tasks: longest.tasks + 1 });
  }
  return [...best.values()].reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, tasks: 0 });
}

async function runOnce(ctx: BenchContext, name: string, tasks: PipelineTask[]): Promise<Measured> {
  const dataDir = join(ctx.scratch, `pipelines-${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dataDir, { recursive: true });
  const store = openMemoryStore();
  const engine = new Engine({
    store,
    executor: new HostExecutor({
      sandbox: "none",
      hostEnv: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
    }),
    clock: systemClock,
    features: defaultFeatureFlags(),
    defaults: defaultConfigDefaults(),
    dataDir,
  });
  const created = new Map<string, number>();
  const life = new Map<string, number>();
  const stop = store.watch<KubeObject>(ResourceTypes.TaskRun, {}, (ev) => {
    const t = ev.object.metadata.labels?.["tekton.dev/pipelineTask"] ?? "";
    if (ev.type === "ADDED") created.set(t, performance.now());
    else if (isDone(ev.object) && !life.has(t)) life.set(t, performance.now() - (created.get(t) ?? 0));
  });
  engine.start();
  const pr: PipelineRun = {
    apiVersion: "tekton.dev/v1",
    kind: "PipelineRun",
    metadata: { name, namespace: "default" },
    spec: { pipelineSpec: { tasks } },
  };
  const done = new Promise<number>((resolve) => {
    const stopPr = store.watch<PipelineRun>(ResourceTypes.PipelineRun, {}, (ev) => {
      if (isDone(ev.object)) {
        stopPr();
        resolve(performance.now());
      }
    });
  });
  const t0 = performance.now();
  store.create(ResourceTypes.PipelineRun, pr);
  const end = await done;
  stop();
  await engine.stop();
  store.close();
  const cp = criticalPath(tasks, life);
  return { wallMs: end - t0, criticalMs: cp.ms, criticalTasks: cp.tasks };
}

async function measure(
  ctx: BenchContext,
  label: string,
  tasks: PipelineTask[],
  runs: number,
): Promise<BenchRow[]> {
  await runOnce(ctx, "warmup", tasks);
  const overheadPerTask: number[] = [];
  const ratios: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await runOnce(ctx, `run-${i}`, tasks);
    ctx.log(
      `${label}: wall ${round(m.wallMs)} ms, critical path ${round(m.criticalMs)} ms over ${m.criticalTasks} tasks`,
    );
    overheadPerTask.push((m.wallMs - m.criticalMs) / tasks.length);
    ratios.push(m.wallMs / m.criticalMs);
    walls.push(m.wallMs);
  }
  const o = summarize(overheadPerTask);
  const r = summarize(ratios);
  const met = o.median <= TARGET_MS;
  return [
    {
      metric: `${label}: scheduling overhead per task`,
      target: `≤ ${TARGET_MS} ms`,
      measured: `${fmtSummary(o)} per task; wall / critical path ${fmtRatio(r.median)}`,
      ratio: r.median,
      verdict: met ? "met" : "missed",
      ...(met
        ? {}
        : { dominates: "the PipelineRun reconcile between a child's end and the next child's creation" }),
      data: {
        overheadPerTaskMs: rounded(o),
        wallOverCriticalPath: rounded(r),
        wallMs: rounded(summarize(walls)),
      },
    },
  ];
}

export const pipelines: Benchmark = {
  name: "pipelines",
  title: "Pipeline scheduling overhead (50-task fan-out/fan-in, 20-task chain)",
  async run(ctx) {
    const runs = ctx.quick ? 2 : 5;
    const width = ctx.quick ? 20 : 50;
    const rows = [
      ...(await measure(ctx, `fan-out/fan-in of ${width}`, fanOut(width), runs)),
      ...(await measure(ctx, "chain of 20", chain(20), runs)),
    ];
    return {
      method:
        "A PipelineRun of one-step `true` tasks (host executor, no sandbox) run by the engine in process over the memory store. Each TaskRun's life (created → done) is timed from the store's watch; the critical path is the longest chain of TaskRun lives through the graph. Overhead = PipelineRun wall time (created → done) − critical path, divided by the number of tasks (52 for the fan-out: root, 50, sink; 20 for the chain).",
      rows,
      notes: [],
    };
  },
};
