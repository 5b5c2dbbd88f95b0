/** Param substitution in a remote ref's own params, as Tekton applies it before resolving. */
import type { Param, ParamValue } from "../../api/types.js";

/**
 * Replaces `$(params.x)` (dot and both bracket forms, string values) and the given context
 * variables (`context.taskRun.name` → value) in each param's value.
 */
export function substituteRefParams(
  params: readonly Param[] | undefined,
  values: ReadonlyMap<string, ParamValue>,
  context: Readonly<Record<string, string>>,
): Param[] {
  const strings = new Map<string, string>(Object.entries(context));
  for (const [k, v] of values) {
    if (typeof v !== "string") continue;
    for (const form of [`params.${k}`, `params["${k}"]`, `params['${k}']`]) strings.set(form, v);
  }
  const replace = (text: string): string =>
    text.replace(/\$\(([^()]+)\)/g, (whole, inner: string) => strings.get(inner.trim()) ?? whole);
  return (params ?? []).map((p) => ({
    name: p.name,
    value:
      typeof p.value === "string"
        ? replace(p.value)
        : Array.isArray(p.value)
          ? p.value.map(replace)
          : Object.fromEntries(Object.entries(p.value).map(([k, v]) => [k, replace(v)])),
  }));
}
