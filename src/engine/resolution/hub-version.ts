/**
 * Version constraints as HashiCorp's go-version reads them (Tekton's hub resolver uses it):
 * comma-separated `op version` terms with `=`, `!=`, `>`, `<`, `>=`, `<=`, `~>`; a bare version
 * means `=`. Versions compare segment by segment, missing segments counting as zero.
 */

export interface Version {
  segments: number[];
  /** Significant segments as written (for `~>`). */
  written: number;
  prerelease: string;
  text: string;
}

const VERSION = /^v?([0-9]+(?:\.[0-9]+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (m === null) return undefined;
  const parts = (m[1] ?? "").split(".").map(Number);
  const segments = [...parts];
  while (segments.length < 3) segments.push(0);
  return { segments, written: parts.length, prerelease: m[2] ?? "", text: text.trim() };
}

export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === "") return 1;
  if (b.prerelease === "") return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

type Op = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~>";
interface Term {
  op: Op;
  version: Version;
}

const TERM = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/;

/** A parsed constraint, or undefined when go-version would refuse it. */
export function parseConstraint(text: string): Term[] | undefined {
  const terms: Term[] = [];
  for (const part of text.split(",")) {
    const m = TERM.exec(part);
    if (m === null) return undefined;
    const version = parseVersion(m[2] ?? "");
    if (version === undefined) return undefined;
    terms.push({ op: (m[1] ?? "=") as Op, version });
  }
  return terms.length > 0 ? terms : undefined;
}

function pessimisticUpper(v: Version): Version {
  const keep = Math.max(1, v.written - 1);
  const segments = v.segments.slice(0, keep);
  segments[keep - 1] = (segments[keep - 1] ?? 0) + 1;
  while (segments.length < 3) segments.push(0);
  return { segments, written: keep, prerelease: "", text: "" };
}

function holds(t: Term, v: Version): boolean {
  const c = compareVersions(v, t.version);
  switch (t.op) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case "~>":
      return c >= 0 && compareVersions(v, pessimisticUpper(t.version)) < 0;
  }
}

export function satisfies(terms: readonly Term[], v: Version): boolean {
  return terms.every((t) => holds(t, v));
}
