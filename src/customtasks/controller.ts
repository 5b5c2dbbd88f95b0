/**
 * The contract between the engine and custom-task controllers. A controller handles the runs
 * whose target `apiVersion` + `kind` it declares, in one of three styles:
 *
 * - `task` ({@link CustomTaskDefinition}, via `defineCustomTask`): an async function per attempt.
 *   The engine owns the lifecycle: conditions, start/completion times, timeout, retries, cancel.
 * - `reconciler` ({@link CustomReconcilerDefinition}, via `defineCustomReconciler`): a
 *   level-triggered decision per reconcile for long-lived work; state lives in `status.extraFields`.
 *   The engine still owns start, timeout, retries and cancel.
 * - `raw` ({@link RawControllerDefinition}, via `defineRawController`): the controller computes the
 *   whole status itself, as a Tekton custom-task controller does (used by the reference Wait task).
 *
 * Controllers are branded with a global symbol so plugins built against another copy of tektite
 * are recognised.
 *
 * @module
 */
import type { CustomRunStatus, Json, ParamValue, WorkspaceBinding } from "../api/types.js";
import type { AnyCustomRun, CustomTaskTarget } from "./run-view.js";

/** Brand carried by every controller object (`Symbol.for`, so it survives duplicate installs). */
export const CONTROLLER_BRAND: unique symbol = Symbol.for("tektite.customTaskController") as never;

/** Which optional parts of the custom-run contract a controller honours. */
export interface CustomTaskSupports {
  /**
   * Honours `spec.timeout` (default true): the engine enforces it per attempt (absent ⇒ 60 minutes,
   * `0` ⇒ none). When false, runs that set a non-zero `spec.timeout` are rejected with
   * `CustomRunTimeoutNotSupported` / `RunTimeoutNotSupported`, and no timeout is enforced.
   */
  timeout?: boolean;
  /** Accepts `spec.workspaces` (default false ⇒ `CustomRunWorkspaceNotSupported` / `RunWorkspaceNotSupported`). */
  workspaces?: boolean;
  /** Accepts a Run's `spec.podTemplate` (default false ⇒ `RunPodTemplateNotSupported`). */
  podTemplate?: boolean;
  /** Honours `spec.retries` (default true); when false, retries are ignored. */
  retries?: boolean;
}

/** Which target forms a controller accepts; a run in another form has no controller (no status). */
export interface CustomTaskAccepts {
  /** `customRef` / `ref` (default true). */
  ref?: boolean;
  /** `customSpec` / `spec` (default true). */
  spec?: boolean;
}

/** A declared param: string by default; required unless it has a default. */
export interface ParamDecl {
  type?: "string" | "array" | "object";
  default?: ParamValue;
  description?: string;
  /** Allowed values of a string param. */
  enum?: readonly string[];
}

/** Param declarations by name. */
export type ParamDecls = Readonly<Record<string, ParamDecl>>;

/** The value type a declaration yields. */
export type ParamValueOf<D extends ParamDecl> = D extends { type: "array" }
  ? string[]
  : D extends { type: "object" }
    ? Record<string, string>
    : string;

/** Typed params: declared names with their value types, or every given param when undeclared. */
export type ParamsOf<P extends ParamDecls | undefined> = P extends ParamDecls
  ? { readonly [K in keyof P]: ParamValueOf<P[K]> }
  : Readonly<Record<string, ParamValue>>;

/** Writes lines to the run's log file (under the data dir) and to the CLI output. */
export interface CustomTaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What every controller style sees about the run. */
export interface RunContextBase {
  /** The run as stored (a deep-frozen copy: read-only). */
  readonly run: Readonly<AnyCustomRun>;
  readonly namespace: string;
  readonly name: string;
  /** The target: apiVersion, kind, ref name or embedded spec. */
  readonly target: CustomTaskTarget;
  /** Archived attempts so far (0 on the first attempt). */
  readonly retryCount: number;
  readonly log: CustomTaskLogger;
  /** The engine's clock. */
  now(): Date;
}

/** Context of one attempt of a `task` controller. */
export interface CustomTaskContext<P extends ParamDecls | undefined = undefined> extends RunContextBase {
  /** Params validated against the declarations, defaults applied. */
  readonly params: ParamsOf<P>;
  /** `spec.workspaces` as given (only non-empty when the controller supports workspaces). */
  readonly workspaces: readonly WorkspaceBinding[];
  /** Aborted on cancel, timeout or engine shutdown; `signal.reason` is a {@link AbortCause}. */
  readonly signal: AbortSignal;
}

/** Why a signal was aborted. */
export const AbortCause = { Cancel: "cancel", Timeout: "timeout", Shutdown: "shutdown" } as const;
/** One of {@link AbortCause}'s values. */
export type AbortCause = (typeof AbortCause)[keyof typeof AbortCause];

/** How an attempt or a reconcile ends successfully. */
export interface CustomTaskOutcome {
  /** `status.results` (string values). */
  results?: Record<string, string>;
  /** Condition reason (default `Succeeded`; `Failed` for failures). */
  reason?: string;
  /** Condition message (default empty). */
  message?: string;
  /** `status.extraFields`. */
  extraFields?: Json;
  /**
   * Arbitrary context-dependent fields at the top level of `status` (Tekton's docs/customruns.md's
   * `arbitraryField`); the contract's own fields (conditions, startTime, results…) cannot be set.
   */
  statusFields?: Record<string, Json>;
}

/** The `task` style. */
export interface CustomTaskDefinition<P extends ParamDecls | undefined = ParamDecls | undefined> {
  readonly [CONTROLLER_BRAND]: true;
  readonly style: "task";
  readonly apiVersion: string;
  readonly kind: string;
  readonly params?: P;
  readonly supports: Required<CustomTaskSupports>;
  readonly accepts: Required<CustomTaskAccepts>;
  /** Runs one attempt; resolve to succeed, throw (`CustomTaskError` for a reason) to fail. */
  run(ctx: CustomTaskContext<P>): Promise<CustomTaskOutcome | void> | CustomTaskOutcome | void;
}

/** Context of one reconcile of a `reconciler` controller. */
export interface ReconcileContext extends RunContextBase {
  /** The current status (read-only). */
  readonly status: Readonly<CustomRunStatus>;
  /** `status.extraFields`, where a reconciler keeps its state. */
  readonly extraFields: Json | undefined;
  /** All given params (validated against declarations when the reconciler declares them). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Aborted when the engine shuts down. */
  readonly signal: AbortSignal;
}

/** What a reconcile decided. `running` and `requeueAfterMs` may be combined. */
export type ReconcileDecision =
  | { succeeded: CustomTaskOutcome }
  | { failed: Omit<CustomTaskOutcome, "results"> }
  | {
      running?: {
        reason?: string;
        message?: string;
        extraFields?: Json;
        statusFields?: Record<string, Json>;
      };
      requeueAfterMs?: number;
    };

/** The `reconciler` style. */
export interface CustomReconcilerDefinition {
  readonly [CONTROLLER_BRAND]: true;
  readonly style: "reconciler";
  readonly apiVersion: string;
  readonly kind: string;
  readonly params?: ParamDecls;
  readonly supports: Required<CustomTaskSupports>;
  readonly accepts: Required<CustomTaskAccepts>;
  /**
   * Called while the run is running: when it starts, on every change made by someone else (a spec
   * change, an answer recorded in its status…) and when a requested requeue fires; the engine's own
   * status writes do not call it again.
   */
  reconcile(
    run: Readonly<AnyCustomRun>,
    ctx: ReconcileContext,
  ): Promise<ReconcileDecision> | ReconcileDecision;
  /**
   * Called once when the engine ends a running attempt on cancel or timeout, before the final
   * status is written; may return the final `extraFields` (e.g. to record "rejected").
   */
  onAbort?(
    run: Readonly<AnyCustomRun>,
    ctx: ReconcileContext,
    cause: "cancel" | "timeout",
  ): { extraFields?: Json } | void;
}

/** Context of a `raw` reconcile. */
export interface RawReconcileContext {
  now(): Date;
  readonly log: CustomTaskLogger;
}

/** What a `raw` reconcile decided: the new status (undefined: leave as is) and an optional requeue. */
export interface RawReconcileResult {
  status?: CustomRunStatus;
  requeueAfterMs?: number;
}

/** The `raw` style: the controller owns the whole status, the engine only stores it and requeues. */
export interface RawControllerDefinition {
  readonly [CONTROLLER_BRAND]: true;
  readonly style: "raw";
  readonly apiVersion: string;
  readonly kind: string;
  readonly accepts: Required<CustomTaskAccepts>;
  reconcile(run: Readonly<AnyCustomRun>, ctx: RawReconcileContext): RawReconcileResult;
}

/** Any controller the engine can dispatch to. */
export type CustomTaskController =
  CustomTaskDefinition | CustomReconcilerDefinition | RawControllerDefinition;

/** Whether a value is a controller made by `defineCustomTask`, `defineCustomReconciler` or `defineRawController`. */
export function isCustomTaskController(value: unknown): value is CustomTaskController {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<PropertyKey, unknown>;
  return (
    v[CONTROLLER_BRAND] === true &&
    (v["style"] === "task" || v["style"] === "reconciler" || v["style"] === "raw") &&
    typeof v["apiVersion"] === "string" &&
    typeof v["kind"] === "string"
  );
}

/** `<apiVersion>/<kind>`: the dispatch key of a controller. */
export function controllerId(c: Pick<CustomTaskController, "apiVersion" | "kind">): string {
  return `${c.apiVersion}/${c.kind}`;
}
