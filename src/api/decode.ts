/**
 * Strict decoding of an object against its kind's schema, as Tekton's webhook decodes a request
 * with Go's `encoding/json` and `DisallowUnknownFields`:
 *
 * - fields are matched by name (exactly, else case-insensitively as Go does), in key order (the
 *   API server hands the webhook JSON with sorted keys); an unknown field is
 *   `json: unknown field "x"`;
 * - a value of the wrong JSON type is `json: cannot unmarshal number into Go struct field
 *   Step.spec.steps.image of type string` (the innermost struct, the dotted JSON path without
 *   indices or map keys, the Go type);
 * - these two are *saved*: decoding goes on and the first one is reported, unless a type with its
 *   own `UnmarshalJSON` (durations, quantities, int-or-string) fails, which stops decoding at once;
 * - `null` leaves a field unset; `ParamValue` turns a bool or number into its JSON text;
 * - `metadata` is decoded by the API server, not the webhook: its unknown fields are dropped and
 *   listed in {@link DecodeResult.droppedFields}.
 *
 * The result is a normalised copy (canonical field names, no nulls, no bigints) that the rest of
 * tektite can trust to have the schema's types. Iterative over nesting depth is not needed: the
 * callers bound depth before decoding ({@link MAX_DEPTH}).
 *
 * @module
 */
import type { TSchema } from "@sinclair/typebox";
import { DurationError, parseGoDuration } from "./duration.js";
import { GoDecoder, type GoAnnotations } from "./schema/dsl.js";
import type { KindSchema } from "./schema/kinds.js";
import { quantityError } from "./quantity.js";

/** Deepest nesting of objects and arrays accepted in a resource (the API server's JSON limit). */
export const MAX_DEPTH = 10_000;

/** Why an object could not be decoded. */
export interface DecodeFailure {
  /** Go's text: `json: unknown field "tiemout"`. */
  message: string;
  /** Where, as Tekton writes field paths: `spec.steps[0].tiemout`. */
  path: string;
}

/** A decoded object, or the first failure. */
export type DecodeResult =
  | { ok: true; value: Record<string, unknown>; droppedFields: string[] }
  | { ok: false; failure: DecodeFailure };

type Node = TSchema & GoAnnotations & Record<string, unknown>;

interface Context {
  /** Go's errorContext: JSON names of the struct fields being decoded. */
  fieldStack: string[];
  /** Innermost struct's name. */
  struct: string | undefined;
  /** Display path parts (`spec`, `steps[0]`, `image`). */
  path: string[];
}

class Fatal {
  constructor(readonly failure: DecodeFailure) {}
}

class Decoder {
  saved: DecodeFailure | undefined;
  readonly dropped: string[] = [];

  constructor(private readonly dropUnknown: boolean) {}

  private where(ctx: Context): string {
    return ctx.path.join(".").replace(/\.\[/g, "[");
  }

  /** Go's `UnmarshalTypeError` text with the current context. */
  typeError(ctx: Context, value: string, goType: string): DecodeFailure {
    const message =
      ctx.struct !== undefined || ctx.fieldStack.length > 0
        ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct ?? ""}.${ctx.fieldStack.join(".")} of type ${goType}`
        : `json: cannot unmarshal ${value} into Go value of type ${goType}`;
    return { message, path: this.where(ctx) };
  }

  save(failure: DecodeFailure): void {
    this.saved ??= failure;
  }

  /** Schemas by `$id`, for the `$ref`s of recursive types (a Pipeline inside a Pipeline). */
  private readonly refs = new Map<string, Node>();

  value(node: Node, v: unknown, ctx: Context): unknown {
    const ref = node["$ref"];
    const schema = typeof ref === "string" ? this.refs.get(ref) : node;
    if (schema === undefined) return plain(v);
    if (typeof schema["$id"] === "string") this.refs.set(schema["$id"], schema);
    const custom = schema["x-go-decode"];
    if (custom !== undefined) return this.custom(custom, schema, v, ctx);
    if (schema["x-kubernetes-preserve-unknown-fields"] === true && schema.type === "object") {
      if (!isRecord(v)) return this.mismatch(schema, v, ctx);
      return plain(v);
    }
    switch (schema.type) {
      case "string":
        return typeof v === "string" ? v : this.mismatch(schema, v, ctx);
      case "boolean":
        return typeof v === "boolean" ? v : this.mismatch(schema, v, ctx);
      case "integer":
        return this.integer(schema, v, ctx);
      case "array":
        return this.array(schema, v, ctx);
      case "object":
        return schema["properties"] !== undefined ? this.struct(schema, v, ctx) : this.map(schema, v, ctx);
      default:
        return plain(v);
    }
  }

  /** Go's zero value for a `null` item; a struct's is decoded so that its always-present fields are there. */
  private zeroOf(schema: Node, ctx: Context): unknown {
    const z = zero(schema);
    return isRecord(z) ? this.value(schema, z, ctx) : z;
  }

  private mismatch(schema: Node, v: unknown, ctx: Context): undefined {
    this.save(this.typeError(ctx, jsonKind(v), goTypeOf(schema)));
    return undefined;
  }

  private integer(schema: Node, v: unknown, ctx: Context): number | undefined {
    if (typeof v !== "number" && typeof v !== "bigint") return this.mismatch(schema, v, ctx);
    const bits = schema["x-go-type"] === "int32" ? 31n : 63n;
    const big = typeof v === "bigint" ? v : Number.isInteger(v) ? BigInt(v) : undefined;
    if (big === undefined || big >= 1n << bits || big < -(1n << bits)) {
      this.save(this.typeError(ctx, `number ${numberText(v)}`, goTypeOf(schema)));
      return undefined;
    }
    return Number(big);
  }

  private array(schema: Node, v: unknown, ctx: Context): unknown[] | undefined {
    if (!Array.isArray(v)) return this.mismatch(schema, v, ctx);
    const items = schema["items"] as Node;
    const last = ctx.path.length - 1;
    return v.map((item, i) => {
      const path = [...ctx.path];
      path[last] = `${path[last] ?? ""}[${i}]`;
      const child = { ...ctx, path };
      if (item === null) return this.zeroOf(items, child);
      const out = this.value(items, item, child);
      return out === undefined ? zero(items) : out;
    });
  }

  private map(schema: Node, v: unknown, ctx: Context): Record<string, unknown> | undefined {
    if (!isRecord(v)) return this.mismatch(schema, v, ctx);
    const values = Object.values((schema["patternProperties"] ?? {}) as Record<string, Node>)[0];
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(v)) {
      const item = v[key];
      if (values === undefined) {
        out[key] = plain(item);
        continue;
      }
      const child = { ...ctx, path: [...ctx.path, key] };
      const decoded = item === null ? this.zeroOf(values, child) : this.value(values, item, child);
      out[key] = decoded === undefined ? zero(values) : decoded;
    }
    return out;
  }

  private struct(schema: Node, v: unknown, ctx: Context): Record<string, unknown> | undefined {
    if (!isRecord(v)) return this.mismatch(schema, v, ctx);
    const properties = schema["properties"] as Record<string, Node>;
    const lenient = schema["x-go-lenient"] === true;
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(v)) {
      const name = fieldName(properties, key);
      const path = [...ctx.path, key];
      if (name === undefined) {
        if (lenient || this.dropUnknown) this.dropped.push(this.where({ ...ctx, path }));
        else
          this.save({
            message: `json: unknown field ${JSON.stringify(key)}`,
            path: this.where({ ...ctx, path }),
          });
        continue;
      }
      const item = v[key];
      const field = properties[name] as Node;
      if (item === null) {
        if (field["x-go-always"] === true) out[name] = zero(field);
        else delete out[name];
        continue;
      }
      const child: Context = {
        fieldStack: [...ctx.fieldStack, name],
        struct: schema["x-go-struct"] ?? ctx.struct,
        path: [...ctx.path, name],
      };
      const decoded = this.value(field, item, child);
      if (decoded !== undefined) out[name] = decoded;
    }
    for (const [name, field] of Object.entries(properties)) {
      if (field["x-go-always"] === true && !Object.hasOwn(out, name)) out[name] = zero(field);
    }
    return out;
  }

  private custom(kind: GoDecoder, schema: Node, v: unknown, ctx: Context): unknown {
    switch (kind) {
      case GoDecoder.Raw:
        return plain(v);
      case GoDecoder.ParamValue:
        return paramValue(v);
      case GoDecoder.Duration:
        if (typeof v !== "string") throw new Fatal(this.typeError(ctx, jsonKind(v), "string"));
        try {
          parseGoDuration(v);
        } catch (err) {
          if (err instanceof DurationError) throw new Fatal({ message: err.message, path: this.where(ctx) });
          throw err;
        }
        return v;
      case GoDecoder.Quantity: {
        const text = typeof v === "string" ? v : jsonText(v);
        const problem = quantityError(text.trim());
        if (problem !== undefined) throw new Fatal({ message: problem, path: this.where(ctx) });
        return typeof v === "bigint" ? v.toString() : v;
      }
      case GoDecoder.IntOrString: {
        if (typeof v === "string") return v;
        if (typeof v === "number" || typeof v === "bigint") {
          const n = typeof v === "bigint" ? v : Number.isInteger(v) ? BigInt(v) : undefined;
          if (n !== undefined && n < 1n << 31n && n >= -(1n << 31n)) return Number(n);
          throw new Fatal(this.typeError(ctx, `number ${numberText(v)}`, "int32"));
        }
        throw new Fatal(this.typeError(ctx, jsonKind(v), "int32"));
      }
      default:
        return this.unreachable(kind, schema);
    }
  }

  private unreachable(kind: never, _schema: Node): never {
    throw new Error(`unknown decoder ${String(kind)}`);
  }
}

/** How {@link decodeObject} treats fields the schema does not have. */
export const UnknownFields = {
  /** As Tekton's webhook: `json: unknown field "x"` (metadata excepted). */
  Reject: "Reject",
  /** As the API server: dropped, and listed in `droppedFields`. */
  Drop: "Drop",
} as const;
export type UnknownFields = (typeof UnknownFields)[keyof typeof UnknownFields];

/**
 * Decodes `object` as its kind's Go struct. `object` must be a mapping (the loader and the server
 * check that first); its nesting must be within {@link MAX_DEPTH}.
 */
export function decodeObject(
  object: Record<string, unknown>,
  kind: KindSchema,
  unknownFields: UnknownFields,
): DecodeResult {
  const decoder = new Decoder(unknownFields === UnknownFields.Drop);
  const ctx: Context = { fieldStack: [], struct: undefined, path: [] };
  let value: unknown;
  try {
    value = decoder.value(kind.schema as Node, object, ctx);
  } catch (err) {
    if (err instanceof Fatal) return { ok: false, failure: err.failure };
    throw err;
  }
  if (decoder.saved !== undefined) return { ok: false, failure: decoder.saved };
  return { ok: true, value: value as Record<string, unknown>, droppedFields: decoder.dropped };
}

/** The depth of the deepest nested object or array in `value` (iterative: safe at any depth). */
export function nestingDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}

function fieldName(properties: Record<string, Node>, key: string): string | undefined {
  if (Object.hasOwn(properties, key)) return key;
  const folded = key.toLowerCase();
  return Object.keys(properties).find((k) => k.toLowerCase() === folded);
}

function sortedKeys(v: Record<string, unknown>): string[] {
  return Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function goTypeOf(schema: Node): string {
  return schema["x-go-type"] ?? "interface {}";
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
    case "bigint":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

function numberText(v: number | bigint): string {
  return typeof v === "bigint" ? v.toString() : JSON.stringify(v);
}

/** Compact JSON with sorted keys, as the API server serialises what the webhook reads. */
export function jsonText(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map((x) => jsonText(x)).join(",")}]`;
  if (isRecord(v))
    return `{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}:${jsonText(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** Tekton's `ParamValue.UnmarshalJSON`. */
function paramValue(v: unknown): unknown {
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || x === null)) return v.map((x) => x ?? "");
  if (isRecord(v) && Object.values(v).every((x) => typeof x === "string" || x === null)) {
    return Object.fromEntries(sortedKeys(v).map((k) => [k, v[k] ?? ""]));
  }
  if (typeof v === "string") return v;
  return jsonText(v);
}

/** A JSON-safe copy: bigints become numbers. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Go's zero value of a schema node (for a `null` in a list or map). */
function zero(schema: Node): unknown {
  if (schema["x-go-decode"] === GoDecoder.ParamValue) return "";
  switch (schema.type) {
    case "string":
      return "";
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
