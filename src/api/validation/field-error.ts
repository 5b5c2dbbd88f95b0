/**
 * A re-implementation of knative's `apis.FieldError`: the error type every Tekton admission check
 * returns. Rendering, path composition and merging follow knative exactly, because users see
 * the rendered text (`missing field(s): spec.taskRef, spec.taskSpec`).
 */

/** Severity of a field error (knative `DiagnosticLevel`). */
export const DiagnosticLevel = { Error: 0, Warning: 1 } as const;
export type DiagnosticLevel = (typeof DiagnosticLevel)[keyof typeof DiagnosticLevel];

/** One rendered (merged) error, the machine-readable form of a FieldError. */
export interface FieldErrorEntry {
  message: string;
  paths: string[];
  details: string;
  level: DiagnosticLevel;
}

interface Leaf {
  readonly message: string;
  readonly paths: readonly string[];
  readonly details: string;
  readonly level: DiagnosticLevel;
}

function isIndex(part: string): boolean {
  return part.startsWith("[") && part.endsWith("]");
}

/** knative `flatten`: joins path parts with dots, gluing `[i]` parts onto the previous one. */
function flatten(parts: readonly string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    for (const p of part.split(".")) {
      if (p === "") continue;
      if (out.length > 0 && isIndex(p)) out[out.length - 1] += p;
      else out.push(p);
    }
  }
  return out.join(".");
}

function isEmptyLeaf(l: Leaf): boolean {
  return l.message === "" && l.details === "" && l.paths.length === 0;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An immutable collection of field errors. An empty FieldError stands for "no error"
 * (knative's nil); {@link FieldError.isEmpty} tells them apart.
 */
export class FieldError {
  private readonly leaves: readonly Leaf[];

  private constructor(leaves: readonly Leaf[]) {
    this.leaves = leaves;
  }

  /** No error. */
  static empty(): FieldError {
    return new FieldError([]);
  }

  /** A single error with an explicit message, paths and details (knative's struct literal). */
  static of(
    message: string,
    paths: readonly string[] = [],
    details = "",
    level: DiagnosticLevel = DiagnosticLevel.Error,
  ): FieldError {
    const leaf: Leaf = { message, paths: [...paths], details, level };
    return new FieldError(isEmptyLeaf(leaf) ? [] : [leaf]);
  }

  /** `missing field(s)` */
  static missingField(...paths: string[]): FieldError {
    return FieldError.of("missing field(s)", paths);
  }

  /** `must not set the field(s)` */
  static disallowedFields(...paths: string[]): FieldError {
    return FieldError.of("must not set the field(s)", paths);
  }

  /** `invalid value: <value>`; details are joined with ", ". */
  static invalidValue(value: unknown, path: string, ...details: string[]): FieldError {
    return FieldError.of(`invalid value: ${String(value)}`, [path], details.join(", "));
  }

  /** `expected exactly one, got neither` */
  static missingOneOf(...paths: string[]): FieldError {
    return FieldError.of("expected exactly one, got neither", paths);
  }

  /** `expected exactly one, got both` */
  static multipleOneOf(...paths: string[]): FieldError {
    return FieldError.of("expected exactly one, got both", paths);
  }

  /** `invalid key name "<key>"` */
  static invalidKeyName(key: string, path: string, ...details: string[]): FieldError {
    return FieldError.of(`invalid key name ${goQuote(key)}`, [path], details.join(", "));
  }

  /** `expected <lower> <= <value> <= <upper>` */
  static outOfBoundsValue(value: unknown, lower: unknown, upper: unknown, path: string): FieldError {
    return FieldError.of(`expected ${String(lower)} <= ${String(value)} <= ${String(upper)}`, [path]);
  }

  /** A message as given. Without paths it renders as `"<msg>: "` and keeps no paths under `viaField`. */
  static generic(message: string, ...paths: string[]): FieldError {
    return FieldError.of(message, paths);
  }

  /** True when this holds no error at all. */
  isEmpty(): boolean {
    return this.leaves.length === 0;
  }

  /** Prefixes every path with the given fields (`x` → `prefix.x`). Pathless errors stay pathless. */
  viaField(...prefix: string[]): FieldError {
    return new FieldError(
      this.leaves.map((l) => ({ ...l, paths: l.paths.map((p) => flatten([...prefix, p])) })),
    );
  }

  /** Prefixes every path with `[index]`. */
  viaIndex(index: number): FieldError {
    return this.viaField(`[${index}]`);
  }

  /** Prefixes every path with `[key]`. */
  viaKey(key: string): FieldError {
    return this.viaField(`[${key}]`);
  }

  /** `viaIndex(index).viaField(field)`: `field[index].x`. */
  viaFieldIndex(field: string, index: number): FieldError {
    return this.viaIndex(index).viaField(field);
  }

  /** `viaKey(key).viaField(field)`: `field[key].x`. */
  viaFieldKey(field: string, key: string): FieldError {
    return this.viaKey(key).viaField(field);
  }

  /** Combines this error with others; empty or undefined errors are ignored. */
  also(...errs: ReadonlyArray<FieldError | undefined>): FieldError {
    const more = errs.flatMap((e) => (e === undefined ? [] : e.leaves));
    if (more.length === 0) return this;
    return new FieldError([...this.leaves, ...more]);
  }

  /** The merged, sorted errors (knative `WrappedErrors`). */
  wrappedErrors(): FieldErrorEntry[] {
    const byKey = new Map<string, FieldErrorEntry>();
    for (const l of this.leaves) {
      if (l.message === "") continue;
      const key = `${l.level}-${l.message}-${l.details}`;
      const found = byKey.get(key);
      if (found === undefined) {
        byKey.set(key, { message: l.message, paths: [...l.paths], details: l.details, level: l.level });
      } else {
        for (const p of l.paths) if (!found.paths.includes(p)) found.paths.push(p);
      }
    }
    const merged = [...byKey.values()];
    for (const e of merged) e.paths.sort(byteCompare);
    merged.sort(
      (a, b) => byteCompare(a.message, b.message) || byteCompare(a.details, b.details) || a.level - b.level,
    );
    return merged;
  }

  /** The text knative's `Error()` produces. */
  error(): string {
    return this.wrappedErrors()
      .map((e) => {
        const head = `${e.message}: ${e.paths.join(", ")}`;
        return e.details === "" ? head : `${head}\n${e.details}`;
      })
      .join("\n");
  }

  /** Same as {@link FieldError.error}. */
  toString(): string {
    return this.error();
  }

  /** Machine output: the merged entries. */
  toJSON(): FieldErrorEntry[] {
    return this.wrappedErrors();
  }
}

/** Go's `%q` for strings (strconv.Quote), close enough for the texts users write. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** Go's `%v` for a `[]string`: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}
