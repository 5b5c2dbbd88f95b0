/**
 * Admission errors shown at the field: Tekton's webhook denial lists each problem as
 * `<message>: <path>, <path>` (knative's FieldError text); this finds those paths and the line of
 * the YAML each one points at.
 *
 * @module
 */

import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";

/** One problem of a denial, with the fields it names. */
export interface FieldProblem {
  message: string;
  fields: string[];
}

const PREFIX = /^.*?denied the request: (?:validation failed: )?/s;
const PATH = /^[A-Za-z$][\w$]*(?:\.[\w$-]+|\[\d+\]|\[[\w.-]+\])*$/;

/** Splits a denial message into problems and their field paths. */
export function fieldProblems(message: string): FieldProblem[] {
  const body = message.replace(PREFIX, "");
  const out: FieldProblem[] = [];
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    const at = line.lastIndexOf(": ");
    const tail = at >= 0 ? line.slice(at + 2).split(", ") : [];
    if (tail.length > 0 && tail.every((p) => PATH.test(p.trim())))
      out.push({ message: line.slice(0, at), fields: tail.map((p) => p.trim()) });
    else out.push({ message: line, fields: [] });
  }
  return out;
}

/** `spec.steps[0].name` → `["spec", "steps", 0, "name"]`. */
export function fieldPath(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of field.split(".")) {
    const m = /^([^[]*)((?:\[[^\]]+\])*)$/.exec(part);
    if (m === null) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? "").matchAll(/\[([^\]]+)\]/g)) {
      const v = idx[1] ?? "";
      out.push(/^\d+$/.test(v) ? Number(v) : v);
    }
  }
  return out;
}

/** The 1-based line of the YAML where `field` (or its nearest existing parent) is, if found. */
export function lineOfField(yamlText: string, field: string): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const segment of fieldPath(field)) {
    let next: unknown;
    let at: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      if (pair !== undefined) {
        next = pair.value;
        at = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
      at = isNode(next) ? next.range?.[0] : undefined;
    }
    if (at === undefined) break;
    line = counter.linePos(at).line;
    node = next;
  }
  return line;
}
