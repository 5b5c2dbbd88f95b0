/**
 * `tektite/sdk`: write custom-task controllers for tektite in TypeScript or JavaScript.
 *
 * High level, one async function per attempt; the engine does conditions, timeouts, retries and
 * cancellation:
 *
 * ```ts
 * import { defineCustomTask, CustomTaskError } from "tektite/sdk";
 * export default defineCustomTask({
 *   apiVersion: "example.dev/v1alpha1",
 *   kind: "Greeter",
 *   params: { name: { default: "world" } },
 *   async run({ params, log, signal }) {
 *     log.info(`greeting ${params.name}`);
 *     return { results: { greeting: `Hello, ${params.name}!` } };
 *   },
 * });
 * ```
 *
 * Low level, for long-lived work (approvals, external systems): `defineCustomReconciler` with a
 * `reconcile(run, ctx)` returning a {@link ReconcileDecision}; state lives in `status.extraFields`.
 *
 * Load plugin files with `tektite run --plugin FILE` / `tektite serve --plugin FILE`: a module's
 * default export (one controller or an array) or its named `customTasks` array.
 *
 * @module
 */
import type { WorkspaceBinding } from "../api/types.js";
import {
  CONTROLLER_BRAND,
  type CustomReconcilerDefinition,
  type CustomTaskAccepts,
  type CustomTaskContext,
  type CustomTaskDefinition,
  type CustomTaskOutcome,
  type CustomTaskSupports,
  type ParamDecls,
  type RawControllerDefinition,
  type RawReconcileContext,
  type RawReconcileResult,
  type ReconcileContext,
  type ReconcileDecision,
} from "./controller.js";
import type { AnyCustomRun } from "./run-view.js";

export { AbortCause, controllerId, isCustomTaskController } from "./controller.js";
export type {
  CustomReconcilerDefinition,
  CustomTaskAccepts,
  CustomTaskContext,
  CustomTaskController,
  CustomTaskDefinition,
  CustomTaskLogger,
  CustomTaskOutcome,
  CustomTaskSupports,
  ParamDecl,
  ParamDecls,
  ParamsOf,
  ParamValueOf,
  RawControllerDefinition,
  RawReconcileContext,
  RawReconcileResult,
  ReconcileContext,
  ReconcileDecision,
  RunContextBase,
} from "./controller.js";
export { CustomTaskError } from "./errors.js";
export { listParam } from "./params.js";
export type { AnyCustomRun, CustomTaskTarget } from "./run-view.js";
export type {
  CustomRun,
  CustomRunStatus,
  Json,
  Param,
  ParamValue,
  Run,
  WorkspaceBinding,
} from "../api/types.js";

const DEFAULT_SUPPORTS: Required<CustomTaskSupports> = {
  timeout: true,
  workspaces: false,
  podTemplate: false,
  retries: true,
};

function supports(s: CustomTaskSupports | undefined): Required<CustomTaskSupports> {
  return { ...DEFAULT_SUPPORTS, ...(s ?? {}) };
}

function accepts(a: CustomTaskAccepts | undefined): Required<CustomTaskAccepts> {
  return { ref: a?.ref ?? true, spec: a?.spec ?? true };
}

function checkIdentity(apiVersion: unknown, kind: unknown): void {
  if (typeof apiVersion !== "string" || !apiVersion.includes("/")) {
    throw new TypeError(
      `custom task apiVersion must be "<group>/<version>", got ${JSON.stringify(apiVersion)}`,
    );
  }
  if (typeof kind !== "string" || kind === "")
    throw new TypeError("custom task kind must be a non-empty string");
}

/** Options of {@link defineCustomTask}. */
export interface CustomTaskOptions<P extends ParamDecls | undefined> {
  apiVersion: string;
  kind: string;
  /** Declared params; runs with unknown, missing or ill-typed params fail before starting. */
  params?: P;
  supports?: CustomTaskSupports;
  accepts?: CustomTaskAccepts;
  run(ctx: CustomTaskContext<P>): Promise<CustomTaskOutcome | void> | CustomTaskOutcome | void;
}

/** Defines a custom task whose attempts are one async function each. */
export function defineCustomTask<const P extends ParamDecls | undefined = undefined>(
  opts: CustomTaskOptions<P>,
): CustomTaskDefinition<P> {
  checkIdentity(opts.apiVersion, opts.kind);
  if (typeof opts.run !== "function") throw new TypeError("defineCustomTask: run must be a function");
  return Object.freeze({
    [CONTROLLER_BRAND]: true as const,
    style: "task" as const,
    apiVersion: opts.apiVersion,
    kind: opts.kind,
    ...(opts.params !== undefined ? { params: opts.params } : {}),
    supports: supports(opts.supports),
    accepts: accepts(opts.accepts),
    run: opts.run,
  });
}

/** Options of {@link defineCustomReconciler}. */
export interface CustomReconcilerOptions {
  apiVersion: string;
  kind: string;
  params?: ParamDecls;
  supports?: CustomTaskSupports;
  accepts?: CustomTaskAccepts;
  reconcile(
    run: Readonly<AnyCustomRun>,
    ctx: ReconcileContext,
  ): Promise<ReconcileDecision> | ReconcileDecision;
  onAbort?: CustomReconcilerDefinition["onAbort"];
}

/** Defines a level-triggered custom-task reconciler (approvals, polling external systems). */
export function defineCustomReconciler(opts: CustomReconcilerOptions): CustomReconcilerDefinition {
  checkIdentity(opts.apiVersion, opts.kind);
  if (typeof opts.reconcile !== "function")
    throw new TypeError("defineCustomReconciler: reconcile must be a function");
  return Object.freeze({
    [CONTROLLER_BRAND]: true as const,
    style: "reconciler" as const,
    apiVersion: opts.apiVersion,
    kind: opts.kind,
    ...(opts.params !== undefined ? { params: opts.params } : {}),
    supports: supports(opts.supports),
    accepts: accepts(opts.accepts),
    reconcile: opts.reconcile,
    ...(opts.onAbort !== undefined ? { onAbort: opts.onAbort } : {}),
  });
}

/** Options of {@link defineRawController}. */
export interface RawControllerOptions {
  apiVersion: string;
  kind: string;
  accepts?: CustomTaskAccepts;
  reconcile(run: Readonly<AnyCustomRun>, ctx: RawReconcileContext): RawReconcileResult;
}

/**
 * Defines a controller that computes the whole status itself, as a Tekton custom-task
 * controller does; the engine only stores the status and requeues. Nothing is enforced for it:
 * timeout, retries and cancel are the controller's job (the built-in Wait task is one).
 */
export function defineRawController(opts: RawControllerOptions): RawControllerDefinition {
  checkIdentity(opts.apiVersion, opts.kind);
  return Object.freeze({
    [CONTROLLER_BRAND]: true as const,
    style: "raw" as const,
    apiVersion: opts.apiVersion,
    kind: opts.kind,
    accepts: accepts(opts.accepts),
    reconcile: opts.reconcile,
  });
}

/** A workspace binding by name, for tasks that support workspaces. */
export function workspaceNamed(
  ctx: { workspaces: readonly WorkspaceBinding[] },
  name: string,
): WorkspaceBinding | undefined {
  return ctx.workspaces.find((w) => w.name === name);
}
