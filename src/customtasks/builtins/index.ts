/**
 * The built-in custom-task controllers: `Wait` (Tekton's reference, v1beta1 and v1alpha1 forms),
 * `Approval` and `CEL`.
 *
 * @module
 */
import type { CustomTaskController } from "../controller.js";
import { approvalTask } from "./approval.js";
import { celTask } from "./cel.js";
import { waitTask, waitTaskV1alpha1 } from "./wait.js";

/** Every built-in controller, in a fresh array. */
export function builtinControllers(): CustomTaskController[] {
  return [waitTask, waitTaskV1alpha1, approvalTask, celTask];
}
