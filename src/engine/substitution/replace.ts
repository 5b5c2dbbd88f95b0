/**
 * The replacement core shared by every substitution phase (docs/tekton-semantics.md#substitution).
 *
 * A phase builds maps from a variable key (the text between `$(` and `)`) to its value and
 * applies them in one left-to-right pass: text inserted by a replacement is never re-scanned
 * within the same phase, and `$(…)` references that no map knows are left exactly as written.
 */

/** The three kinds of replacement a phase can carry, keyed without the `$(` `)` wrapper. */
export interface Replacements {
  readonly strings: ReadonlyMap<string, string>;
  readonly arrays: ReadonlyMap<string, readonly string[]>;
  readonly objects: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** Mutable form used while a phase assembles its maps. */
export interface MutableReplacements extends Replacements {
  readonly strings: Map<string, string>;
  readonly arrays: Map<string, readonly string[]>;
  readonly objects: Map<string, Record<string, string>>;
}

/** Empty replacement maps. */
export function emptyReplacements(): MutableReplacements {
  return { strings: new Map(), arrays: new Map(), objects: new Map() };
}

/** Replacements carrying only string values. */
export function stringReplacements(entries: Iterable<readonly [string, string]>): Replacements {
  return { strings: new Map(entries), arrays: new Map(), objects: new Map() };
}

/**
 * Replaces every `$(key)` whose key is in `strings`, in a single pass.
 * Keys never contain `)`, so a reference starting at `$(` ends at the first `)` after it.
 */
export function applyReplacements(input: string, strings: ReadonlyMap<string, string>): string {
  if (strings.size === 0) return input;
  let at = input.indexOf("$(");
  if (at === -1) return input;
  let out = "";
  let copied = 0;
  while (at !== -1) {
    const close = input.indexOf(")", at + 2);
    if (close === -1) break;
    const value = strings.get(input.slice(at + 2, close));
    if (value === undefined) {
      at = input.indexOf("$(", at + 1);
      continue;
    }
    out += input.slice(copied, at) + value;
    copied = close + 1;
    at = input.indexOf("$(", copied);
  }
  return out + input.slice(copied);
}

/**
 * Splices an array when the whole element is exactly `$(key)` or `$(key[*])` for an array
 * key; otherwise returns the element with string replacements applied, as a one-item list.
 */
export function applyArrayReplacements(input: string, replacements: Replacements): string[] {
  if (input.startsWith("$(") && input.endsWith(")")) {
    const inner = input.slice(2, -1);
    const whole = replacements.arrays.get(inner);
    if (whole !== undefined) return [...whole];
    if (inner.endsWith("[*]")) {
      const starred = replacements.arrays.get(inner.slice(0, -3));
      if (starred !== undefined) return [...starred];
    }
  }
  return [applyReplacements(input, replacements.strings)];
}

/**
 * Applies array-aware replacement to a list such as `command` or `args`. Returns `undefined`
 * when the result is empty, as Kubernetes drops an empty list from the container.
 */
export function applyToList(
  list: readonly string[] | undefined,
  replacements: Replacements,
): string[] | undefined {
  if (list === undefined) return undefined;
  const out: string[] = [];
  for (const item of list) out.push(...applyArrayReplacements(item, replacements));
  return out.length === 0 ? undefined : out;
}

/** String replacement on an optional field: absent stays absent. */
export function applyOptional(
  input: string | undefined,
  strings: ReadonlyMap<string, string>,
): string | undefined {
  return input === undefined ? undefined : applyReplacements(input, strings);
}

/** Copies `add` into `into` (later wins); object values are merged key-wise. */
export function extendReplacements(into: MutableReplacements, add: Replacements): MutableReplacements {
  for (const [k, v] of add.strings) into.strings.set(k, v);
  for (const [k, v] of add.arrays) into.arrays.set(k, v);
  for (const [k, v] of add.objects) {
    const existing = into.objects.get(k);
    into.objects.set(k, existing === undefined ? { ...v } : { ...existing, ...v });
  }
  return into;
}
