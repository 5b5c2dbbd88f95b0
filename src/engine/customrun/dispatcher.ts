/**
 * Dispatch of custom runs to controllers by their target `apiVersion` + `kind`. A run whose target
 * has no registered controller (or a controller that does not accept the target's form, e.g. an
 * embedded Wait) gets no status at all, as Tekton's docs/customruns.md and docs/runs.md require.
 *
 * @module
 */
import {
  controllerId,
  isCustomTaskController,
  type CustomTaskController,
} from "../../customtasks/controller.js";
import { DuplicateControllerError } from "../../customtasks/errors.js";
import {
  describeTarget,
  isAnyCustomRun,
  targetOf,
  TargetVia,
  type AnyCustomRun,
} from "../../customtasks/run-view.js";
import type { KubeObject } from "../../api/types.js";

/** Options of {@link CustomRunDispatcher.register}. */
export interface RegisterOptions {
  /** Replace a controller already registered for the same apiVersion/kind (plugins over built-ins). */
  replace?: boolean;
}

/** The registry of custom-task controllers the engine dispatches to. */
export class CustomRunDispatcher {
  private readonly controllers = new Map<string, CustomTaskController>();

  constructor(controllers: readonly CustomTaskController[] = []) {
    for (const c of controllers) this.register(c);
  }

  /** Adds a controller; a second one for the same apiVersion/kind throws unless `replace`. */
  register(controller: CustomTaskController, opts: RegisterOptions = {}): this {
    if (!isCustomTaskController(controller)) throw new TypeError("not a custom task controller");
    const id = controllerId(controller);
    if (this.controllers.has(id) && !opts.replace) throw new DuplicateControllerError(id);
    this.controllers.set(id, controller);
    return this;
  }

  /** The registered controllers, in registration order. */
  list(): CustomTaskController[] {
    return [...this.controllers.values()];
  }

  /** The controller that handles this CustomRun or Run, if any. */
  controllerFor(run: KubeObject): CustomTaskController | undefined {
    if (!isAnyCustomRun(run)) return undefined;
    const target = targetOf(run);
    if (target === undefined) return undefined;
    const c = this.controllers.get(`${target.apiVersion}/${target.kind}`);
    if (c === undefined) return undefined;
    // An SDK controller answers a form it does not accept with a validation error (Tekton's docs/customruns.md and docs/runs.md);
    // a raw controller (the reference Wait) ignores it: no status.
    if (c.style !== "raw") return c;
    const accepted = target.via === TargetVia.Ref ? c.accepts.ref : c.accepts.spec;
    return accepted ? c : undefined;
  }

  /** Whether some controller handles this run (`tektite run` reports the others and exits 1). */
  hasController(run: KubeObject): boolean {
    return this.controllerFor(run) !== undefined;
  }

  /**
   * Why a run has no controller, e.g. `no custom task controller for example.dev/v1/Example`
   * (undefined when it has one).
   */
  missingControllerMessage(run: KubeObject): string | undefined {
    if (!isAnyCustomRun(run) || this.hasController(run)) return undefined;
    const target = targetOf(run as AnyCustomRun);
    const form =
      target !== undefined && this.controllers.has(`${target.apiVersion}/${target.kind}`)
        ? ` (${target.via === TargetVia.Ref ? "a reference" : "an embedded spec"} is not supported by it)`
        : "";
    return `no custom task controller for ${describeTarget(run as AnyCustomRun)}${form}`;
  }
}

/**
 * A dispatcher of `base` controllers plus plugin controllers: a plugin replaces a base controller
 * with the same apiVersion/kind, two plugins with the same one are an error.
 */
export function dispatcherWithPlugins(
  base: readonly CustomTaskController[],
  plugins: readonly CustomTaskController[],
): CustomRunDispatcher {
  const dispatcher = new CustomRunDispatcher(base);
  const seen = new Set<string>();
  for (const p of plugins) {
    const id = controllerId(p);
    if (seen.has(id)) throw new DuplicateControllerError(id);
    seen.add(id);
    dispatcher.register(p, { replace: true });
  }
  return dispatcher;
}
