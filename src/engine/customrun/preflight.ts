/**
 * Checks made before an SDK controller's first attempt starts: what the controller does not
 * support, and its param declarations. A rejected run ends `False` at once (no startTime, as the
 * reference Wait controller does for invalid input) and is not retried, since nothing would change.
 *
 * @module
 */
import { parseGoDuration } from "../../api/duration.js";
import type { ParamValue } from "../../api/types.js";
import { errorMessage } from "../../customtasks/errors.js";
import type { CustomReconcilerDefinition, CustomTaskDefinition } from "../../customtasks/controller.js";
import { resolveParams } from "../../customtasks/params.js";
import {
  describeTarget,
  paramsOf,
  podTemplateOf,
  targetOf,
  TargetVia,
  workspacesOf,
  type AnyCustomRun,
} from "../../customtasks/run-view.js";
import { reasonsFor } from "./status.js";

/** The run may start with these params, or it is rejected with a reason and message. */
export type Preflight =
  { ok: true; params: Record<string, ParamValue> } | { ok: false; reason: string; message: string };

/** Order: target form, workspaces, podTemplate (Run only), timeout (parse, then support), params. */
export function preflight(
  run: AnyCustomRun,
  controller: CustomTaskDefinition | CustomReconcilerDefinition,
): Preflight {
  const reasons = reasonsFor(run);
  const label = `${run.kind} "${run.metadata.name ?? ""}"`;
  const target = describeTarget(run);
  const via = targetOf(run)?.via;
  if (
    (via === TargetVia.Ref && !controller.accepts.ref) ||
    (via === TargetVia.Spec && !controller.accepts.spec)
  ) {
    const [form, other] =
      via === TargetVia.Ref ? ["a reference", "an embedded spec"] : ["an embedded spec", "a reference"];
    return {
      ok: false,
      reason: reasons.ValidationFailed,
      message: `${label} names its custom task by ${form} but custom task ${target} only supports ${other}`,
    };
  }
  if (!controller.supports.workspaces && workspacesOf(run).length > 0) {
    return {
      ok: false,
      reason: reasons.WorkspaceNotSupported,
      message: `${label} specifies workspaces but custom task ${target} does not support workspaces`,
    };
  }
  if (!controller.supports.podTemplate && podTemplateOf(run) !== undefined) {
    return {
      ok: false,
      reason: reasons.PodTemplateNotSupported,
      message: `${label} specifies a podTemplate but custom task ${target} does not support podTemplate`,
    };
  }
  const timeout = run.spec?.timeout;
  let timeoutNs = 0n;
  try {
    if (timeout !== undefined && timeout !== "") timeoutNs = parseGoDuration(timeout);
  } catch (err) {
    return {
      ok: false,
      reason: reasons.ValidationFailed,
      message: `${label} has an invalid spec.timeout: ${errorMessage(err)}`,
    };
  }
  if (!controller.supports.timeout && timeoutNs !== 0n) {
    return {
      ok: false,
      reason: reasons.TimeoutNotSupported,
      message: `${label} sets spec.timeout "${timeout}" but custom task ${target} does not support timeouts; remove spec.timeout or set it to 0`,
    };
  }
  const params = resolveParams(paramsOf(run), controller.params);
  if (!params.ok) {
    return {
      ok: false,
      reason: reasons.ValidationFailed,
      message: `${label} has invalid params: ${params.problems.join("; ")}`,
    };
  }
  return { ok: true, params: params.values };
}
