/**
 * Kubernetes' own `$(VAR)` expansion of container command, args and env values (docs/tekton-semantics.md#kubernetes-expansion),
 * as the kubelet does it (`third_party/forked/golang/expansion`). Scripts are not expanded:
 * Tekton hands them to the container encoded precisely to avoid this.
 */

/** Looks a variable up; undefined leaves the reference as typed. */
export type VariableLookup = (name: string) => string | undefined;

function lookupIn(vars: ReadonlyMap<string, string> | Readonly<Record<string, string>>): VariableLookup {
  if (vars instanceof Map) return (name) => vars.get(name);
  const record = vars as Readonly<Record<string, string>>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}

/**
 * Expands `$(NAME)` from `vars`: `$$` becomes `$`, unknown or unterminated references stay as
 * typed, and a `$` before any other character is kept.
 */
export function expandKubernetesVars(
  input: string,
  vars: ReadonlyMap<string, string> | Readonly<Record<string, string>> | VariableLookup,
): string {
  const lookup = typeof vars === "function" ? vars : lookupIn(vars);
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === "$") {
      out += "$";
    } else if (next === "(") {
      const close = input.indexOf(")", cursor + 2);
      if (close === -1) {
        out += "$(";
      } else {
        const name = input.slice(cursor + 2, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close - cursor;
      }
    } else {
      out += `$${next ?? ""}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** One env entry before expansion: a literal `value`, or a value resolved from elsewhere. */
export interface EnvInput {
  name: string;
  /** Literal value; expanded against the variables defined before it. */
  value?: string;
  /** Value already resolved from `valueFrom`; never expanded. */
  resolved?: string;
}

/**
 * The container environment in order, as the kubelet builds it: `base` first (e.g. envFrom),
 * then each entry; a literal value is expanded against the variables defined before it
 * (including `base`). A later entry with the same name replaces the earlier one.
 */
export function expandContainerEnv(
  env: readonly EnvInput[],
  base?: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Map<string, string> {
  const vars = new Map<string, string>();
  if (base !== undefined) {
    const entries =
      base instanceof Map ? [...base.entries()] : Object.entries(base as Record<string, string>);
    for (const [k, v] of entries) vars.set(k, v);
  }
  for (const e of env) {
    const value =
      e.value !== undefined && e.value !== "" ? expandKubernetesVars(e.value, vars) : (e.resolved ?? "");
    vars.set(e.name, value);
  }
  return vars;
}

/** Expands every element of a command or args list against the container's final env. */
export function expandKubernetesList(
  list: readonly string[] | undefined,
  env: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string[] | undefined {
  if (list === undefined) return undefined;
  const lookup = lookupIn(env);
  return list.map((item) => expandKubernetesVars(item, lookup));
}
