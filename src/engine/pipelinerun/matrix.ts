/** Matrix fan-out (`pkg/apis/pipeline/v1/matrix_types.go`): combinations of params plus `include`. */
import type { Param } from "../../api/types.js";
import type { Matrix } from "../../api/pipeline-types.js";

type Combination = Record<string, string>;

const sorted = (c: Combination): Combination =>
  Object.fromEntries(
    Object.keys(c)
      .sort()
      .map((k) => [k, c[k] ?? ""]),
  );

const arrayOf = (p: Param): string[] => (Array.isArray(p.value) ? p.value : []);

function includeCombinations(m: Matrix): Combination[] {
  return (m.include ?? []).map((inc) =>
    Object.fromEntries((inc.params ?? []).map((p) => [p.name, typeof p.value === "string" ? p.value : ""])),
  );
}

/** True when a pipeline task fans out. */
export function isMatrixed(m: Matrix | undefined): m is Matrix {
  return m !== undefined && ((m.params?.length ?? 0) > 0 || (m.include?.length ?? 0) > 0);
}

/** The params of each combination, in Tekton's order (keys sorted within a combination). */
export function fanOut(m: Matrix): Param[][] {
  const inc = includeCombinations(m);
  let combos: Combination[] = [];
  if ((m.params?.length ?? 0) === 0) combos = inc;
  else {
    for (const p of m.params ?? []) {
      if (combos.length === 0) combos = arrayOf(p).map((v) => ({ [p.name]: v }));
      else {
        const next: Combination[] = [];
        for (const v of arrayOf(p)) for (const c of combos) next.push(sorted({ ...c, [p.name]: v }));
        combos = next;
      }
    }
    for (const c of combos) {
      for (const i of inc) {
        if (Object.entries(i).every(([k, v]) => !(k in c) || c[k] === v)) Object.assign(c, i);
      }
    }
    for (const i of inc) {
      if (Object.keys(i).length === 0) continue;
      const clashes = combos.some((c) => Object.entries(i).some(([k, v]) => k in c && c[k] === v));
      if (!clashes) combos.push(i);
    }
  }
  return combos.map((c) =>
    Object.keys(c)
      .sort()
      .map((k) => ({ name: k, value: c[k] ?? "" })),
  );
}

/** How many children a matrixed task creates (1 when not matrixed). */
export function combinationCount(m: Matrix | undefined): number {
  return isMatrixed(m) ? fanOut(m).length : 1;
}

/** A matrix param with an empty array means the task is skipped. */
export function hasEmptyArray(m: Matrix | undefined): boolean {
  return (m?.params ?? []).some((p) => Array.isArray(p.value) && p.value.length === 0);
}
